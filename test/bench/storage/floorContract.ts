/** The floor bench's messages between floor.ts and its threads (floorWorker.ts). */
export interface FloorShare {
  /** Every chunk's encoded bytes, end to end, shared by all threads. */
  content: SharedArrayBuffer;
  /** Where this thread's first chunk starts in `content`. */
  start: number;
  /** Where each of this thread's chunks ends in `content`. */
  ends: number[];
}

export interface FloorRequest {
  step: "hash" | "compress" | "decompress";
}

/** Bytes the step produced (digests, compressed or decompressed bytes) so nothing is optimised away. */
export interface FloorReply {
  bytes: number;
}
