/**
 * The worker-thread side of `startStoringThread`: waits for a dataset's columns, stores them with
 * the object store and answers with the manifest. Bundled as dist/objectWorker.js.
 */
import { parentPort } from "node:worker_threads";
import type { StoreAnswer, StoreRequest } from "../../protocol/storingThread";
import { Dataset } from "../data/dataset";
import { messageOf, type MlexpErrorCode } from "../util/errors";
import { threadCpuMs } from "../util/timeline";
import { ObjectStore } from "./objectStore";

/** This thread's CPU once its code is loaded: its start-up (undefined unless MLEXP_TIMELINE=1 on Linux). */
const startUpCpu = threadCpuMs();

async function answer(request: StoreRequest): Promise<StoreAnswer> {
  try {
    const ok = await new ObjectStore(request.dir).putDataset(new Dataset(request.columns, request.target), { threads: request.threads });
    const end = threadCpuMs();
    return { ok, cpu: startUpCpu === undefined || end === undefined ? undefined : { startUp: startUpCpu, storing: end - startUpCpu } };
  } catch (error) {
    return { error: messageOf(error), code: (error as { code?: MlexpErrorCode }).code };
  }
}

parentPort?.once("message", (request: StoreRequest) => {
  void answer(request).then((reply) => parentPort?.postMessage(reply));
});
