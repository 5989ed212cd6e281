import * as fs from "node:fs";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { Column } from "../data/dataset";
import type { RowCursor } from "./rowCursor";
import type { ChunkThreadData, DecodeBatch, DecodedBatch, EncodeBatch, EncodedBatch, FromChunkThread, HashBlock, ToChunkThread } from "../../protocol/chunkWorker";

/**
 * The object store's chunk threads for one store or read call: each gets the dataset's numeric
 * columns that live in shared memory once, then batches of chunks to encode or decode; answers
 * come back per batch, and the caller keeps them in order. Threads are started per call and
 * stopped after it (nothing lives between calls), and only for datasets big enough to repay
 * their start (tens of milliseconds each).
 */
export class ChunkThreads {
  private readonly threads: { worker: Worker; busy: number }[] = [];
  private readonly waiting = new Map<number, { resolve: (batch: never) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;

  /** The shared block slots the threads hash rows through (storing only). */
  readonly blocks: SharedArrayBuffer | null;

  private constructor(entry: ThreadEntry, data: ChunkThreadData, count: number) {
    this.blocks = data.blocks;
    for (let t = 0; t < count; t++) {
      const worker = new Worker(entry.code, { eval: entry.eval, workerData: data });
      worker.on("message", (message: FromChunkThread) => this.answered(t, message));
      worker.on("error", (error) => this.fail(error));
      worker.on("exit", (code) => {
        if (code !== 0) this.fail(new Error(`A chunk thread of the object store stopped with code ${code}.`));
      });
      this.threads.push({ worker, busy: 0 });
    }
  }

  /**
   * `count` threads over these columns (every numeric one in shared memory), or undefined when
   * fewer than 2 are asked or no thread code is found.
   */
  static start(columns: readonly Column[], count: number, blocks: SharedArrayBuffer | null = null): ChunkThreads | undefined {
    const entry = count >= 2 ? threadEntry() : undefined;
    if (!entry) return undefined;
    const numbers = columns.map((column) => (column.kind === "number" ? column.values : null));
    if (numbers.some((values) => values && !isShared(values))) throw new Error("The chunk threads read numeric columns in shared memory only.");
    return new ChunkThreads(entry, { kinds: columns.map((column) => column.kind), columns: numbers, blocks }, count);
  }

  /**
   * `count` threads reading into the dataset's final numeric columns (null for text, every other
   * one in shared memory), each batch placed at the row `cursor` gives it; undefined as `start`.
   */
  static forReading(numbers: readonly (Float64Array | null)[], cursor: RowCursor, count: number): ChunkThreads | undefined {
    const entry = count >= 2 ? threadEntry() : undefined;
    if (!entry) return undefined;
    if (numbers.some((values) => values && !isShared(values))) throw new Error("The chunk threads write numeric columns in shared memory only.");
    return new ChunkThreads(entry, { kinds: numbers.map((values) => (values ? "number" : "string")), columns: [...numbers], blocks: null, cursor }, count);
  }

  get size(): number {
    return this.threads.length;
  }

  /** Resolves once the block's row hashes are in its slot of the shared block memory. */
  hash(block: HashBlock): Promise<void> {
    return this.send((id) => ({ type: "hash", id, block }), []);
  }

  encode(batch: EncodeBatch): Promise<EncodedBatch> {
    return this.send((id) => ({ type: "encode", id, batch }), [batch.texts.buffer as ArrayBuffer]);
  }

  decode(batch: DecodeBatch): Promise<DecodedBatch> {
    return this.send((id) => ({ type: "decode", id, batch }), [batch.stored.buffer as ArrayBuffer]);
  }

  /** Stops every thread (work still asked for is refused). */
  async close(): Promise<void> {
    this.fail(new Error("The chunk threads were closed."));
    await Promise.all(this.threads.map(({ worker }) => worker.terminate()));
  }

  private send<T>(message: (id: number) => ToChunkThread, moved: ArrayBuffer[]): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    // The least busy thread: batches differ in size, so round robin would leave one idle.
    let thread = 0;
    for (let t = 1; t < this.threads.length; t++) if (this.threads[t].busy < this.threads[thread].busy) thread = t;
    this.threads[thread].busy++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (batch: never) => void, reject });
      this.threads[thread].worker.postMessage(message(id), moved);
    });
  }

  private answered(thread: number, message: FromChunkThread): void {
    const waiter = this.waiting.get(message.id);
    if (!waiter) return;
    this.waiting.delete(message.id);
    this.threads[thread].busy--;
    if (message.type === "failed") waiter.reject(new Error(`A chunk thread of the object store failed: ${message.message}`));
    else waiter.resolve((message.type === "hashed" ? undefined : message.batch) as never);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(this.failure);
    this.waiting.clear();
  }
}

export function isShared(values: Float64Array): boolean {
  return values.buffer instanceof SharedArrayBuffer;
}

interface ThreadEntry {
  code: string;
  eval: boolean;
}

/**
 * The thread's code: dist/chunkWorker.js next to the bundle running (CLI, library, training and
 * storing threads all live in dist/); from source (tests, benchmarks), chunkWorker.ts through
 * tsx's require hook. Undefined when neither is there: the caller then works on its own thread.
 */
function threadEntry(): ThreadEntry | undefined {
  const bundled = path.join(__dirname, "chunkWorker.js");
  if (fs.existsSync(bundled)) return { code: bundled, eval: false };
  const source = path.join(__dirname, "chunkWorker.ts");
  if (!fs.existsSync(source)) return undefined;
  let tsx: string;
  try {
    // Resolved here: the thread's own require would look from the process's working folder.
    tsx = require.resolve("tsx/cjs");
  } catch {
    return undefined;
  }
  return { code: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)});`, eval: true };
}
