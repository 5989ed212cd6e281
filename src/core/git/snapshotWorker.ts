/**
 * The worker-thread side of `snapshotInBackground`: takes the code snapshot and answers with it, or
 * with the error's message and code. Bundled as dist/snapshotWorker.js.
 */
import { parentPort, workerData } from "node:worker_threads";
import { messageOf } from "../util/errors";
import { snapshotWorkingTree } from "./snapshot";

interface SnapshotRequest {
  workspace: string;
  runId: string;
  maxUntrackedBytes: number;
}

async function main(): Promise<void> {
  const request = workerData as SnapshotRequest;
  try {
    parentPort?.postMessage({ ok: (await snapshotWorkingTree(request.workspace, request.runId, request.maxUntrackedBytes)) ?? null });
  } catch (error) {
    parentPort?.postMessage({ error: messageOf(error), code: (error as { code?: string }).code });
  }
}

void main();
