import { MlexpError } from "../util/errors";
import { decompressStored } from "./chunkBytes";
import type { ChunkSink, ObjectBackend, StoredChunk } from "./objectBackend";
import type { DatasetManifest } from "./objectStore";

export interface TransferResult {
  chunksSent: number;
  bytesSent: number;
  /** False when the destination already had the dataset. */
  sent: boolean;
}

/** How many hashes are asked about, or chunks moved, per round trip. */
const BATCH = 512;
const HASH_BYTES = 32;
/** How many chunks are read and written per round trip. */
const FETCH_BATCH = 64;

/**
 * Copies a stored dataset from one backend to another: only the chunks the destination lacks
 * (asked for in batches, one round trip each), its chunk lists and its chunks through one sink (one
 * pack in an object folder), then the manifest last, so a copy killed half-way leaves no manifest
 * and the next copy sends only what is still missing.
 */
export async function copyDataset(hash: string, from: ObjectBackend, to: ObjectBackend): Promise<TransferResult> {
  if (await to.getManifest(hash)) return { chunksSent: 0, bytesSent: 0, sent: false };
  const manifest = await from.getManifest(hash);
  if (!manifest) {
    throw new MlexpError(`The stored dataset ${hash} is not in ${from.description}.`, "object_missing", "Reproduce with --fresh-data, or push the run from the machine that trained it.");
  }
  const result: TransferResult = { chunksSent: 0, bytesSent: 0, sent: true };
  const sink = to.beginPut?.() ?? batchByBatch(to);
  try {
    // The chunk lists sent are read from the bytes in hand (checked by the sink as they were put):
    // read back from `to`, they would have to be committed first, a pack of their own.
    const sentGroups = new Map<string, Buffer>();
    await sendInto(sink, manifest.groups, from, to, result, sentGroups);
    const groups = await readGroups(manifest, to, sentGroups);
    await sendInto(sink, groups, from, to, result);
    await sink.commit();
  } catch (error) {
    await sink.abort();
    throw error;
  }
  await to.putManifest(manifest);
  return result;
}

/**
 * Sends the chunks among `hashes` that `to` lacks, in batches (one existence query each), through one
 * sink: a pack-keeping destination writes them into few packs; adds to `result`'s counts. Killed
 * half-way, what was committed stays, the rest is never seen; sent again, only what is missing goes.
 */
export async function sendMissing(hashes: readonly string[], from: ObjectBackend, to: ObjectBackend, result: { chunksSent: number; bytesSent: number }): Promise<void> {
  const sink = to.beginPut?.() ?? batchByBatch(to);
  try {
    await sendInto(sink, hashes, from, to, result);
    await sink.commit();
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

/** `sendMissing` into a sink the caller commits; the chunks sent are also kept in `sent` when given. */
async function sendInto(sink: ChunkSink, hashes: readonly string[], from: ObjectBackend, to: ObjectBackend, result: { chunksSent: number; bytesSent: number }, sent?: Map<string, Buffer>): Promise<void> {
  for (let i = 0; i < hashes.length; i += BATCH) {
    const missing = await to.missingChunks(hashes.slice(i, i + BATCH));
    // Fetched a few at a time: chunks of run files are up to 1 MiB each.
    for (let j = 0; j < missing.length; j += FETCH_BATCH) {
      const chunks = await fetchChunks(from, missing.slice(j, j + FETCH_BATCH));
      result.chunksSent += await sink.put(chunks);
      result.bytesSent += chunks.reduce((sum, chunk) => sum + chunk.bytes.length, 0);
      for (const chunk of chunks) sent?.set(chunk.hash, chunk.bytes);
    }
  }
}

async function fetchChunks(from: ObjectBackend, wanted: string[]): Promise<StoredChunk[]> {
  const found = await from.getChunks(wanted);
  const absent = wanted.filter((hash) => !found.has(hash));
  if (absent.length) {
    throw new MlexpError(
      `${absent.length} chunk(s) are missing from ${from.description} (first: ${absent[0]}).`,
      "object_missing",
      "Reproduce with --fresh-data to load a dataset again, or push the run again from the workspace that trained it.",
    );
  }
  return wanted.map((hash) => ({ hash, bytes: found.get(hash) as Buffer }));
}

/** A backend without sinks (PostgreSQL: each batch is one insert) stores each batch as it comes. */
function batchByBatch(to: ObjectBackend): ChunkSink {
  return { put: (chunks) => to.putChunks(chunks), commit: async () => undefined, abort: async () => undefined };
}

/** The dataset's chunk hashes, from its group chunks (already checked when they were stored, or in `inHand`, checked as they were put). */
export async function readGroups(manifest: DatasetManifest, backend: ObjectBackend, inHand: ReadonlyMap<string, Buffer> = new Map()): Promise<string[]> {
  const stored = await backend.getChunks(manifest.groups.filter((group) => !inHand.has(group)));
  return manifest.groups.flatMap((group) => {
    const buffer = decompressStored(inHand.get(group) ?? stored.get(group) ?? Buffer.alloc(0));
    if (!buffer) throw new MlexpError(`The chunk list ${group} of dataset ${manifest.hash} is unreadable in ${backend.description}.`, "object_corrupted");
    return Array.from({ length: buffer.length / HASH_BYTES }, (_, i) => buffer.toString("hex", i * HASH_BYTES, (i + 1) * HASH_BYTES));
  });
}
