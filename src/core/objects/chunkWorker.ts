/**
 * A chunk thread of the object store (chunkPool.ts): encodes, hashes and compresses chunks to
 * store, and decompresses, checks and decodes chunks read back, a batch per message, answering
 * in the order asked. Bundled as dist/chunkWorker.js.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ChunkThreadData, FromChunkThread, ToChunkThread } from "../../protocol/chunkWorker";
import { decodeChunk, encodeChunk } from "./chunkWork";

const { columns } = workerData as ChunkThreadData;

parentPort?.on("message", (message: ToChunkThread) => {
  try {
    if (message.type === "encode") {
      const chunks = message.chunks.map((task) => encodeChunk(columns, task));
      answer({ type: "encoded", id: message.id, chunks }, chunks.flatMap((chunk) => [chunk.plain.buffer as ArrayBuffer, chunk.compressed.buffer as ArrayBuffer]));
    } else {
      const chunks = message.chunks.map((task) => decodeChunk(message.numeric, task));
      const moved: ArrayBuffer[] = [];
      for (const chunk of chunks) {
        if (!("plain" in chunk)) continue;
        moved.push(chunk.plain.buffer as ArrayBuffer);
        for (const values of chunk.numbers) if (values) moved.push(values.buffer as ArrayBuffer);
      }
      answer({ type: "decoded", id: message.id, chunks }, moved);
    }
  } catch (error) {
    answer({ type: "failed", id: message.id, message: error instanceof Error ? error.message : String(error) }, []);
  }
});

function answer(message: FromChunkThread, transfer: ArrayBuffer[]): void {
  parentPort?.postMessage(message, transfer);
}
