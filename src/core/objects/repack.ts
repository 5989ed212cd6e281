import * as fs from "node:fs";
import * as path from "node:path";
import type { ChunkFiles } from "./chunkFiles";
import { PackReader, type LoadedPack } from "./packSet";
import { PackWriter } from "./packWriter";

export interface RepackResult {
  /** Entries left out of the rewritten packs (unused chunks, and entries too damaged to copy). */
  removedEntries: number;
  freedBytes: number;
  /** Packs replaced (rewritten into one new pack, or removed when nothing in them was kept). */
  replacedPacks: number;
}

/** Past this many packs (each store call writes one), the small ones that may be rewritten are merged into one. */
const MERGE_OVER = 32;
const SMALL_PACK_BYTES = 32 * 1024 * 1024;

/**
 * Removes chunks from packs the way git repacks: the entries to keep of every pack holding one
 * to drop are copied (bytes as stored) into one new pack, whose index is written; then the old
 * packs' indexes, then the packs, are removed. A reader that listed an old pack opens it once it is
 * gone, lists the packs again and finds the chunk in the new one; one that had it open reads on.
 * Packs `mayRewrite` refuses (young ones a running training may be using) stay as they are.
 * The caller holds the collection lock: two repacks never run at once.
 */
export async function repackWithout(chunks: ChunkFiles, keep: (hash: string) => boolean, mayRewrite: (pack: LoadedPack) => boolean = () => true): Promise<RepackResult> {
  chunks.packs.refresh();
  const candidates = chunks.packs.list().filter(mayRewrite);
  const merge = chunks.packs.list().length > MERGE_OVER;
  const replaced = candidates.filter((pack) => (merge && isSmall(pack)) || pack.entries.some((entry) => !keep(entry.hash)));
  const result: RepackResult = { removedEntries: 0, freedBytes: 0, replacedPacks: replaced.length };
  if (!replaced.length) return result;
  const writer = new PackWriter(chunks.packDir);
  const reader = new PackReader();
  try {
    for (const pack of replaced) {
      for (const entry of pack.entries) {
        const stored = keep(entry.hash) ? reader.readSync({ ...entry, pack: pack.file }) : "dropped";
        if (typeof stored === "string") result.removedEntries++;
        else await writer.add(entry.hash, stored);
      }
    }
    const entries = await writer.commit();
    if (entries.length) chunks.packs.register(writer.stem, entries);
  } catch (error) {
    await writer.abort();
    throw error;
  } finally {
    await reader.close();
  }
  for (const pack of replaced) result.freedBytes += removePack(pack);
  result.freedBytes -= writer.count ? fs.statSync(writer.packFile).size + fs.statSync(writer.indexFile).size : 0;
  chunks.packs.refresh();
  return result;
}

/** Index first, so that no reader finds the pack through it once it starts going; returns the bytes freed. */
export function removePack(pack: { file: string; stem: string }): number {
  const index = path.join(path.dirname(pack.file), `${pack.stem}.idx`);
  const size = sizeOf(index) + sizeOf(pack.file);
  fs.rmSync(index, { force: true });
  fs.rmSync(pack.file, { force: true });
  return size;
}

function isSmall(pack: LoadedPack): boolean {
  return pack.entries.reduce((sum, entry) => sum + entry.length, 0) < SMALL_PACK_BYTES;
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
