import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { StoreAnswer, StoreRequest } from "../../protocol/storingThread";
import type { Dataset } from "../data/dataset";
import { MlexpError } from "../util/errors";
import { markPhase } from "../util/timeline";
import { ObjectStore, type PutResult } from "./objectStore";

/** A storing thread started before its dataset exists: `store` hands it the dataset (once), `cancel` ends it unused. */
export interface StoringThread {
  store(dataset: Dataset): Promise<PutResult>;
  cancel(): void;
}

/**
 * Starts the thread that stores a run's dataset while the model trains on this thread: encoding,
 * hashing and compressing a large dataset would otherwise delay training by seconds. It starts
 * before the data is loaded, so that its own start-up (a new V8 isolate with Node's internals and
 * the object store's code: ~30 ms of the thread's CPU, measured) happens during the load, when the
 * process leaves a core partly idle, rather than after it. After the load the storing is the
 * longer of the two chains of work (LogisticRegression on 100,000 × 20: ~225–245 ms of the
 * thread's CPU against ~205–225 ms of the training thread's), so its start-up would add to the
 * run's time. Bundled builds carry the thread's code as dist/objectWorker.js; running from source
 * (tests), it stores in-process. Whoever starts it must call `store` or `cancel`: a thread waiting
 * for its dataset keeps the process alive.
 */
export function startStoringThread(objectsDir: string): StoringThread {
  const threads = chunkThreadsBesideTraining(os.availableParallelism());
  const workerFile = path.join(__dirname, "objectWorker.js");
  if (!fs.existsSync(workerFile)) return storingHere(objectsDir, threads);
  const worker = new Worker(workerFile);
  markPhase("storing thread started");
  const answered = new Promise<PutResult>((resolve, reject) => {
    worker.once("message", (answer: StoreAnswer) => {
      if ("ok" in answer) {
        if (answer.cpu) markPhase(`storing thread's answer received (its CPU: start-up ${answer.cpu.startUp.toFixed(0)} ms, storing ${answer.cpu.storing.toFixed(0)} ms)`);
        resolve(answer.ok);
      }
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

/** Stores on this thread (running from source, where no bundled thread code exists). */
function storingHere(objectsDir: string, threads: number): StoringThread {
  return { store: (dataset) => new ObjectStore(objectsDir).putDataset(dataset, { threads }), cancel: () => undefined };
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
