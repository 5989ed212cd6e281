import * as fs from "node:fs";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { MlexpError, type MlexpErrorCode } from "../util/errors";
import { snapshotWorkingTree, type CodeSnapshot } from "./snapshot";

interface SnapshotAnswer {
  ok?: CodeSnapshot | null;
  error?: string;
  code?: MlexpErrorCode;
}

/**
 * `snapshotWorkingTree` on a thread of its own, so that the snapshot goes on while this thread
 * loads the run's data. The snapshot is a chain of git processes (4 on a clean tree, 8 on a dirty
 * one) and each step needs an event loop to start the next; a data access object's `load` may hold
 * this thread for its whole duration (Synthetic computes 100,000 × 20 values in one go), so on this
 * thread the chain would wait for the load and then add its own time. Started before the load, it
 * also spawns git while the process is still small (spawning copies the page tables: measured
 * 5 ms from a process holding 50 MB, 38 ms holding 400 MB). Bundled builds carry the thread's code
 * as dist/snapshotWorker.js; running from source (tests), the snapshot is taken on this thread.
 */
export function snapshotInBackground(workspace: string, runId: string, maxUntrackedBytes: number): Promise<CodeSnapshot | undefined> {
  const workerFile = path.join(__dirname, "snapshotWorker.js");
  if (!fs.existsSync(workerFile)) return snapshotWorkingTree(workspace, runId, maxUntrackedBytes);
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: { workspace, runId, maxUntrackedBytes } });
    worker.once("message", (answer: SnapshotAnswer) => {
      if (answer.error === undefined) resolve(answer.ok ?? undefined);
      else if (answer.code) reject(new MlexpError(answer.error, answer.code));
      else reject(new Error(answer.error));
    });
    worker.once("error", reject);
    // After an answer this changes nothing (a promise settles once).
    worker.once("exit", (code) => reject(new Error(`The code snapshot's thread stopped (code ${code}) before answering.`)));
  });
}
