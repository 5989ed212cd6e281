import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { StoreAnswer, StoreRequest } from "../../protocol/storingThread";
import type { Dataset } from "../data/dataset";
import { summariseDataset } from "../diff/data/summarise";
import type { DataSummary } from "../diff/types";
import { MlexpError } from "../util/errors";
import { ObjectStore, type PutResult } from "./objectStore";

/** A run's dataset once stored, with its per-column summary (recorded with the run). */
export interface StoredDataset extends PutResult {
  summary: DataSummary;
}

/** A storing thread started before its dataset exists: `store` hands it the dataset (once), `cancel` ends it unused. */
export interface StoringThread {
  store(dataset: Dataset): Promise<StoredDataset>;
  cancel(): void;
}

/**
 * Starts the thread that stores a run's dataset while the model trains on this thread: encoding,
 * hashing and compressing a large dataset would otherwise delay training by seconds. It starts
 * before the data is loaded, so that its own start-up (a new V8 isolate with Node's internals,
 * ~30 ms of CPU, and the object store's code) happens during the load, when this process leaves a
 * core partly idle, rather than beside the fit. The same thread summarises the columns (one pass
 * over every value, 20–35 ms on 100,000 × 20) off the training's thread. Bundled builds carry the
 * thread's code as dist/objectWorker.js; running from source (tests), it stores in-process.
 * Whoever starts it must call `store` or `cancel`: a thread waiting for its dataset keeps the
 * process alive.
 */
export function startStoringThread(objectsDir: string): StoringThread {
  const threads = chunkThreadsBesideTraining(os.availableParallelism());
  const workerFile = path.join(__dirname, "objectWorker.js");
  if (!fs.existsSync(workerFile)) return storingHere(objectsDir, threads);
  const worker = new Worker(workerFile);
  const answered = new Promise<StoredDataset>((resolve, reject) => {
    worker.once("message", (answer: StoreAnswer) => {
      if ("ok" in answer) resolve({ ...answer.ok, summary: answer.summary });
      else reject(new MlexpError(answer.error, answer.code ?? "invalid_data"));
    });
    worker.once("error", reject);
    // After an answer this changes nothing (a promise settles once).
    worker.once("exit", (code) => reject(new Error(`The dataset storing thread stopped (code ${code}) before answering.`)));
  });
  // A failure may come before anyone awaits `store`'s promise (or with `cancel`, never): not unhandled.
  answered.catch(() => undefined);
  return {
    store(dataset) {
      // Numeric columns in shared memory go by reference; any other column is copied (structured clone).
      const request: StoreRequest = { dir: objectsDir, columns: [...dataset.columns], target: dataset.target, threads };
      worker.postMessage(request);
      return answered;
    },
    cancel: () => void worker.terminate(),
  };
}

/** Stores and summarises on this thread (running from source, where no bundled thread code exists). */
function storingHere(objectsDir: string, threads: number): StoringThread {
  return {
    store: async (dataset) => ({ ...(await new ObjectStore(objectsDir).putDataset(dataset, { threads })), summary: summariseDataset(dataset) }),
    cancel: () => undefined,
  };
}

/**
 * Chunk threads for a dataset stored while the model trains: every core but one, which the fit
 * needs. With 1 (or 0) the storing thread does the work alone. Measured on 2 cores (idle,
 * LogisticRegression on 100,000 × 20 in `mlexp train`): 2 chunk threads beside the fit made the
 * run ~95 ms slower (median of 6) than the storing thread alone, because they took the fit's core.
 */
export function chunkThreadsBesideTraining(cores: number): number {
  return Math.max(0, cores - 1);
}
