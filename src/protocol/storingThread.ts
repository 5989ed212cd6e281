/**
 * The contract between a training and its storing thread (src/core/objects/storeInBackground.ts and
 * objectWorker.ts). The thread starts before the data exists and waits for one request: the
 * dataset's columns (numeric ones in shared memory, not copied) to store in the object store. It
 * answers once and ends. Both sides import this file.
 */
import type { Column } from "../core/data/dataset";
import type { PutResult } from "../core/objects/objectStore";
import type { MlexpErrorCode } from "../core/util/errors";

export interface StoreRequest {
  /** The object store's folder. */
  dir: string;
  columns: Column[];
  target: string;
  /** Chunk threads to use (see chunkThreadsBesideTraining). */
  threads: number;
}

/** The stored dataset's manifest, or the failure's message and code. */
export type StoreAnswer = { ok: PutResult; cpu?: ThreadCpu } | { error: string; code?: MlexpErrorCode };

/** The storing thread's own CPU ms (with MLEXP_TIMELINE=1, on Linux): its start-up, and the storing. */
export interface ThreadCpu {
  startUp: number;
  storing: number;
}
