/**
 * The contract between the object store and its chunk threads (src/core/objects/chunkPool.ts and
 * chunkWorker.ts): storing, a thread encodes row ranges of the dataset's numeric columns (shared
 * memory, never copied) together with text columns already encoded by the store, hashes and
 * compresses each chunk; reading, it decompresses stored chunks, checks each against its hash and
 * decodes their numeric columns. Both sides import this file.
 */

/** What a chunk thread starts with: the dataset's numeric columns in shared memory, null for text. */
export interface ChunkThreadData {
  columns: (Float64Array | null)[];
}

/**
 * One chunk to store, rows [start, end), with one part per column: null for a numeric column the
 * thread reads in shared memory, its rows' values for a numeric column that is not shared, and
 * the encoded bytes of a text column (the strings stay with the store).
 */
export interface EncodeTask {
  start: number;
  end: number;
  parts: (Float64Array | Uint8Array | null)[];
}

/** One chunk to read: its hash and its stored (compressed) bytes. */
export interface DecodeTask {
  hash: string;
  stored: Uint8Array;
}

export type ToChunkThread = { type: "encode"; id: number; chunks: EncodeTask[] } | { type: "decode"; id: number; numeric: boolean[]; chunks: DecodeTask[] };

/** A chunk encoded, hashed and compressed. */
export interface EncodedChunk {
  hash: string;
  plain: Uint8Array;
  compressed: Uint8Array;
}

/**
 * A chunk read back: its content and its numeric columns decoded (null for text, decoded by the
 * store); or why not: its content does not match its hash, or it matches but does not decode.
 */
export type DecodedChunk = { plain: Uint8Array; rows: number; numbers: (Float64Array | null)[] } | { problem: "corrupted" | "undecodable" };

export type FromChunkThread =
  | { type: "encoded"; id: number; chunks: EncodedChunk[] }
  | { type: "decoded"; id: number; chunks: DecodedChunk[] }
  | { type: "failed"; id: number; message: string };
