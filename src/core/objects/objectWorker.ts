/**
 * The worker-thread side of `startStoringThread`: waits for a dataset's columns, stores them with
 * the object store, summarises them, and answers with the manifest and the summary. Bundled as
 * dist/objectWorker.js.
 */
import { parentPort } from "node:worker_threads";
import type { StoreAnswer, StoreRequest } from "../../protocol/storingThread";
import { Dataset } from "../data/dataset";
import { summariseDataset } from "../diff/data/summarise";
import { messageOf, type MlexpErrorCode } from "../util/errors";
import { ObjectStore } from "./objectStore";

async function answer(request: StoreRequest): Promise<StoreAnswer> {
  try {
    const dataset = new Dataset(request.columns, request.target);
    const stored = await new ObjectStore(request.dir).putDataset(dataset, { threads: request.threads });
    return { ok: stored, summary: summariseDataset(dataset) };
  } catch (error) {
    return { error: messageOf(error), code: (error as { code?: MlexpErrorCode }).code };
  }
}

parentPort?.once("message", (request: StoreRequest) => {
  void answer(request).then((reply) => parentPort?.postMessage(reply));
});
