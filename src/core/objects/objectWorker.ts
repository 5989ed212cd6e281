/**
 * The worker-thread side of `storeDatasetInBackground`: receives a dataset's columns, stores them
 * with the object store and answers with the manifest. Bundled as dist/objectWorker.js.
 */
import { parentPort, workerData } from "node:worker_threads";
import { Dataset, type Column } from "../data/dataset";
import { messageOf } from "../util/errors";
import { ObjectStore } from "./objectStore";

interface StoreRequest {
  dir: string;
  columns: Column[];
  target: string;
  /** Chunk threads to use (see chunkThreadsBesideTraining). */
  threads: number;
}

async function main(): Promise<void> {
  const request = workerData as StoreRequest;
  try {
    const result = await new ObjectStore(request.dir).putDataset(new Dataset(request.columns, request.target), { threads: request.threads });
    parentPort?.postMessage({ ok: result });
  } catch (error) {
    parentPort?.postMessage({ error: messageOf(error), code: (error as { code?: string }).code });
  }
}

void main();
