import { createHash } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import * as zlib from "node:zlib";
import { compressionOptions, decompressWhole } from "../../../src/core/objects/chunkBytes";
import type { FloorReply, FloorRequest, FloorShare } from "./floorContract";

// One thread of the floor bench (floor.ts): the store's per-chunk work and nothing else, on its
// share of the chunks, kept between steps so the read step decompresses what the store step made.

const share = workerData as FloorShare;
const content = Buffer.from(share.content);
const chunks = Array.from({ length: share.ends.length }, (_, i) => content.subarray(i === 0 ? share.start : share.ends[i - 1], share.ends[i]));
let compressed: Buffer[] = [];

function run(step: FloorRequest["step"]): number {
  let bytes = 0;
  if (step === "hash") for (const chunk of chunks) bytes += createHash("sha256").update(chunk).digest().length;
  if (step === "compress") compressed = chunks.map((chunk) => zlib.brotliCompressSync(chunk, compressionOptions(chunk.length)));
  if (step === "compress") bytes = compressed.reduce((sum, chunk) => sum + chunk.length, 0);
  if (step === "decompress") for (const stored of compressed) bytes += decompressWhole(stored)?.length ?? 0;
  return bytes;
}

parentPort?.on("message", (request: FloorRequest) => {
  const reply: FloorReply = { bytes: run(request.step) };
  parentPort?.postMessage(reply);
});
// Ready: the steps are timed from here, without the thread's start-up.
parentPort?.postMessage({ bytes: 0 } satisfies FloorReply);
