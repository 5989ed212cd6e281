/**
 * The contract between the object store and its chunk threads (src/core/objects/chunkPool.ts and
 * chunkWorker.ts): storing, a thread hashes blocks of rows for the chunk boundaries, and encodes row
 * ranges of the dataset's numeric columns (shared memory, never copied) together with text columns
 * already encoded by the store, hashing and compressing each chunk; reading, it decompresses stored chunks, checks each against its hash and
 * decodes their numeric columns. Work goes in batches of chunks, each batch's bytes packed in a
 * few buffers: a message costs a few microseconds per buffer it carries. Both sides import this file.
 */

/**
 * What a chunk thread starts with: the dataset's column kinds, its numeric columns in shared memory
 * (null for text), and, storing, the shared slots through which blocks of rows are hashed (see
 * `blockSlots` in chunkWork.ts).
 */
export interface ChunkThreadData {
  kinds: ("number" | "string")[];
  columns: (Float64Array | null)[];
  blocks: SharedArrayBuffer | null;
  /**
   * Reading: `columns` are the dataset's final numeric columns, which batches are decoded into in
   * place, each at the row the cursor gives it (src/core/objects/rowCursor.ts).
   */
  cursor?: { ends: Float64Array; ready: Int32Array };
}

/**
 * Rows [from, to) to hash for chunk boundaries: each text column's words for them are in block slot
 * `slot`, and the row hashes are written back there (nothing is allocated or copied per block).
 */
export interface HashBlock {
  from: number;
  to: number;
  slot: number;
}

/** Chunks to store: rows [starts[i], ends[i]) each, with their text columns encoded (the strings stay with the store). */
export interface EncodeBatch {
  starts: number[];
  ends: number[];
  /** Every text column of every chunk, encoded, in order (chunk by chunk, column by column). */
  texts: Uint8Array;
  textLengths: number[];
}

/**
 * Chunks stored: each one's hash, their contents one after the other in `plain` (written there in
 * place, never copied), and their brotli streams packed in `compressed`.
 */
export interface EncodedBatch {
  hashes: string[];
  plain: Uint8Array;
  plainLengths: number[];
  compressed: Uint8Array;
  compressedLengths: number[];
}

/**
 * Chunks as stored (compressed), in one buffer that a message can hand over: chunk i's bytes at
 * starts[i], lengths[i] long (-1: not stored). Adjacent pack entries are read in one go, so their
 * headers stay between them.
 */
export interface StoredBatch {
  stored: Uint8Array;
  starts: number[];
  lengths: number[];
}

/** Chunks to read: their hashes and stored bytes. */
export interface DecodeBatch extends StoredBatch {
  /** The batch's place in the read (0, 1, 2…), for the row cursor. */
  index: number;
  hashes: string[];
  /** Which of the dataset's columns are numeric (those are decoded on the thread). */
  numeric: boolean[];
}

/**
 * Chunks read: each one's row count and first row, or why it could not be read (not stored, its
 * content does not match its hash, or matches but does not decode). The good chunks' contents are
 * packed in `plain`. `placed`: their numbers are already in the dataset's columns, `at` being the
 * dataset's row; else `numbers` holds the batch's numeric columns one after the other, `rows`
 * values each (column j's values of the chunk at `at` start at j × rows + at).
 */
export interface DecodedBatch {
  chunks: ({ rows: number; at: number; plainLength: number } | { problem: "missing" | "corrupted" | "undecodable" })[];
  plain: Uint8Array;
  placed: boolean;
  numbers: Float64Array;
  rows: number;
}

export type ToChunkThread = { type: "hash"; id: number; block: HashBlock } | { type: "encode"; id: number; batch: EncodeBatch } | { type: "decode"; id: number; batch: DecodeBatch };

export type FromChunkThread =
  | { type: "hashed"; id: number }
  | { type: "encoded"; id: number; batch: EncodedBatch }
  | { type: "decoded"; id: number; batch: DecodedBatch }
  | { type: "failed"; id: number; message: string };
