/**
 * Where each batch of chunks read back ends in the dataset's rows, shared by the chunk threads
 * (shared memory): a thread that has decompressed batch k waits for batch k - 1's end row, publishes
 * its own, then decodes its numeric columns straight into the dataset's final columns (also in
 * shared memory). Batches are handed out in order and each thread works through its own in order,
 * so the batch waited for is always on its way (on another thread, or done). An end of -1 means
 * "unknown" (a chunk that could not be read: its rows are found later by the reading thread): every
 * later batch then comes back in an array of its own, to be copied in order.
 */
export interface RowCursor {
  /** Each batch's end row once published (-1: unknown). */
  ends: Float64Array;
  /** 1 once a batch's end is published; the last slot is 1 once the read is given up. */
  ready: Int32Array;
}

/** How long a thread waits at a time before looking whether the read was given up. */
const WAIT_MS = 100;

export function newRowCursor(batches: number): RowCursor {
  return {
    ends: new Float64Array(new SharedArrayBuffer(8 * Math.max(1, batches))),
    ready: new Int32Array(new SharedArrayBuffer(4 * (batches + 1))),
  };
}

/** Batch `batch`'s end row (-1: unknown), once published; throws when the read was given up meanwhile. */
export function waitForEnd(cursor: RowCursor, batch: number): number {
  const closed = cursor.ready.length - 1;
  while (Atomics.load(cursor.ready, batch) === 0) {
    if (Atomics.load(cursor.ready, closed) === 1) throw new Error("The read was given up.");
    Atomics.wait(cursor.ready, batch, 0, WAIT_MS);
  }
  return cursor.ends[batch];
}

export function publishEnd(cursor: RowCursor, batch: number, end: number): void {
  cursor.ends[batch] = end;
  Atomics.store(cursor.ready, batch, 1);
  Atomics.notify(cursor.ready, batch);
}

/** Wakes every waiting thread for good (the reader stopped early, or failed). */
export function giveUp(cursor: RowCursor): void {
  const closed = cursor.ready.length - 1;
  Atomics.store(cursor.ready, closed, 1);
  for (let batch = 0; batch < closed; batch++) Atomics.notify(cursor.ready, batch);
}
