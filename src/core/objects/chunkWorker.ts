/**
 * A chunk thread of the object store (chunkPool.ts): hashes rows for chunk boundaries, encodes,
 * hashes and compresses chunks to store, and decompresses, checks and decodes chunks read back, a batch per message, answering
 * each message in turn. Bundled as dist/chunkWorker.js.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ChunkThreadData, FromChunkThread, ToChunkThread } from "../../protocol/chunkWorker";
import { hashRows } from "./chunker";
import { blockSlots, decodeChunks, encodeChunks } from "./chunkWork";

const { kinds, columns, blocks, cursor } = workerData as ChunkThreadData;
const slots = blocks ? blockSlots(blocks, kinds) : [];
// Reading: the dataset's final numeric columns, filled in place.
const target = cursor ? { columns, cursor } : undefined;

parentPort?.on("message", (message: ToChunkThread) => {
  try {
    if (message.type === "hash") {
      const { from, to, slot } = message.block;
      hashRows(columns, slots[slot].words, from, to, slots[slot].hashes);
      answer({ type: "hashed", id: message.id }, []);
    } else if (message.type === "encode") {
      const batch = encodeChunks(columns, message.batch);
      answer({ type: "encoded", id: message.id, batch }, [batch.plain.buffer as ArrayBuffer, batch.compressed.buffer as ArrayBuffer]);
    } else {
      const batch = decodeChunks(message.batch, target);
      answer({ type: "decoded", id: message.id, batch }, [batch.plain.buffer as ArrayBuffer, batch.numbers.buffer as ArrayBuffer]);
    }
  } catch (error) {
    answer({ type: "failed", id: message.id, message: error instanceof Error ? error.message : String(error) }, []);
  }
});

function answer(message: FromChunkThread, transfer: ArrayBuffer[]): void {
  parentPort?.postMessage(message, transfer);
}
