import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { version as MLEXP_VERSION } from "../../../package.json";
import { isPlainObject, type JsonObject } from "../util/json";
import { HASH_PATTERN } from "./chunkFiles";
import { FORMAT } from "./datasetCodec";
import { storedDigest } from "./storedDigest";
import type { DatasetManifest, ObjectStore } from "./objectStore";

/**
 * What a built-in data access object's output depends on, and nothing else: its name, its resolved
 * parameters and the bytes of the files it reads. Only mlexp's own loaders have one (see
 * builtins/datasets/sourceIdentity.ts): a workspace's loader may read anything (a database, the
 * clock, a network), so its output is never assumed from its inputs.
 */
export interface SourceIdentity {
  loader: string;
  params: Record<string, unknown>;
  /** Absolute paths of the files the loader reads (none for generated data). */
  files: string[];
}

/** The version of this index's key: bump it when what the key covers changes. */
const KEY_VERSION = 1;

/**
 * A key of the index, built from the identity and the SHA-256 of each file's bytes, plus everything
 * that could make the same inputs load or store differently: mlexp's version (the loaders' code),
 * the stored data format, and V8's version (Synthetic's numbers go through Math.log/cos).
 */
export function sourceKey(identity: SourceIdentity, fileHashes: readonly string[], format = FORMAT): string {
  return canonicalJson({
    index: KEY_VERSION,
    mlexp: MLEXP_VERSION,
    format,
    v8: process.versions.v8,
    loader: identity.loader,
    params: identity.params,
    files: fileHashes,
  });
}

interface IndexEntry {
  key: string;
  dataset: string;
  /** The dataset's `data_summary` (a function of its content and mlexp's version, which the key holds): not computed again. */
  summary?: JsonObject;
  /** The loader's files' states (see SourceFiles) when their hashes were taken: a quick first look before hashing. */
  files?: string[];
  /** SHA-256 of the dataset's stored bytes (see storedDigest) when it was recorded. */
  stored: string;
}

/** A dataset the store holds for an index key. */
export interface KnownDataset {
  manifest: DatasetManifest;
  summary?: JsonObject;
  /** The stored bytes' digest when the entry was recorded: `storedDigest` gives it again while they are intact. */
  storedDigest: string;
  /** The dataset's chunk hashes, in order (read from its groups). */
  chunks: string[];
}

/**
 * The source index: which stored dataset a built-in loader produced from which inputs, so that a
 * run on data the store already has records its hash without encoding, hashing and compressing
 * every chunk again (the way DVC's state database and git's index avoid re-hashing unchanged
 * files). It lives beside the local object store, one entry per loader and parameters
 * (`<objects>/sources/<sha256>.json`, holding the full key with the files' hashes), and is only a
 * hint: an entry is used only once the store is found to still hold the dataset's manifest, its
 * chunk list and every chunk (see `confirm`); anything else falls back to storing the data.
 *
 * Local only, also with a team store: a run's dataset is always stored in the workspace's objects
 * first (Store.localObjects) and copied to the team's backend by hash afterwards, so this index
 * spares that work for team runs too; a shared index would make one machine trust the file
 * identities and loader builds of another, and checking it would cost round trips.
 */
export class SourceIndex {
  readonly dir: string;

  constructor(private readonly objects: ObjectStore) {
    this.dir = path.join(objects.dir, "sources");
  }

  /**
   * Whether the data is likely stored, read without hashing any file or taking the collection lock
   * (cheap, no writes): the entry's files are in the same state as when they were hashed, and the
   * store lists its dataset's manifest and every chunk. Decides only whether to start a storing
   * thread early; `confirm` decides whether to store.
   */
  probe(identity: SourceIdentity, fileStates: readonly (string | undefined)[] = []): boolean {
    const entry = this.entryOf(identity);
    if (!entry) return false;
    const same = identity.files.length ? sameList(entry.files, fileStates) : entry.key === sourceKey(identity, []);
    return same && this.complete(entry.dataset) !== undefined;
  }

  /**
   * The dataset recorded for exactly this key if the store still lists its manifest, chunk list and
   * every chunk, checked under the collection lock, refreshing the manifest's time: a `gc` that
   * runs after this keeps the dataset and its chunks (as for a dataset stored again, see
   * ObjectStore.confirmStored). Undefined: store the dataset.
   */
  async confirm(identity: SourceIdentity, key: string): Promise<KnownDataset | undefined> {
    const entry = this.entryOf(identity);
    if (!entry || entry.key !== key || !fs.existsSync(this.objects.dir)) return undefined;
    const release = await this.objects.lockAgainstCollection();
    try {
      this.objects.chunks.packs.refresh();
      const found = this.complete(entry.dataset);
      if (!found) return undefined;
      this.objects.writeManifest(found.manifest);
      return { ...found, summary: entry.summary, storedDigest: entry.stored };
    } finally {
      await release();
    }
  }

  /**
   * Remembers that these inputs (`key`, its files in `fileStates`) gave this stored dataset, in
   * place of what the loader's entry said before. Not flushed to disk: a lost or torn entry reads as
   * no entry, and the data is then stored again.
   */
  async record(identity: SourceIdentity, key: string, manifest: DatasetManifest, summary?: JsonObject, fileStates?: readonly (string | undefined)[]): Promise<void> {
    // The packs the storing (another thread) has just written.
    this.objects.chunks.packs.refresh();
    const stored = await storedDigest(this.objects, manifest);
    if (!stored) return;
    fs.mkdirSync(this.dir, { recursive: true });
    const file = this.fileOf(identity);
    // Named as every temporary file of the store (`<file>.<pid>.<time>.tmp`): gc removes it once its writer is gone.
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    const files = fileStates?.every((state) => state !== undefined) ? (fileStates as string[]) : undefined;
    fs.writeFileSync(temp, JSON.stringify({ key, dataset: manifest.hash, summary, files, stored } satisfies IndexEntry));
    fs.renameSync(temp, file);
  }

  /**
   * Drops every entry naming this dataset (a read found it damaged or incomplete): the next load of
   * the same inputs then stores it the full way, which writes good copies of what is damaged.
   * Never fails: an entry it could not drop still only leads to `confirm`'s checks.
   */
  forget(datasetHash: string): void {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names.filter((n) => n.endsWith(".json"))) {
      const file = path.join(this.dir, name);
      try {
        const entry = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<IndexEntry>;
        if (entry.dataset === datasetHash) fs.rmSync(file, { force: true });
      } catch {
        // Unreadable: it reads as no entry anyway.
      }
    }
  }

  /** The loader's entry: named by its key without the files' hashes (the loader, its parameters, the versions). */
  private fileOf(identity: SourceIdentity): string {
    return path.join(this.dir, `${createHash("sha256").update(sourceKey(identity, [])).digest("hex")}.json`);
  }

  /** The loader's entry, or undefined (none, unreadable). */
  private entryOf(identity: SourceIdentity): IndexEntry | undefined {
    try {
      const entry = JSON.parse(fs.readFileSync(this.fileOf(identity), "utf8")) as Partial<IndexEntry>;
      if (typeof entry.key !== "string" || typeof entry.dataset !== "string" || !HASH_PATTERN.test(entry.dataset) || typeof entry.stored !== "string") return undefined;
      const files = Array.isArray(entry.files) && entry.files.every((state) => typeof state === "string") ? entry.files : undefined;
      const summary = isPlainObject(entry.summary) ? (entry.summary as JsonObject) : undefined;
      return { key: entry.key, dataset: entry.dataset, summary, files, stored: entry.stored };
    } catch {
      return undefined;
    }
  }

  /**
   * The manifest when it is readable, its chunk list reads back (checked against its hashes), and
   * every chunk is listed in a pack index or a chunk file: what a reader will need. The chunks' own
   * bytes are not read; every later read checks them (the store's contract), as git trusts the
   * objects its index names.
   */
  private complete(hash: string): { manifest: DatasetManifest; chunks: string[] } | undefined {
    try {
      const manifest = this.objects.readManifest(hash);
      const chunks = this.objects.chunkHashes(manifest);
      return chunks.every((chunk) => this.objects.chunks.exists(chunk)) ? { manifest, chunks } : undefined;
    } catch {
      return undefined;
    }
  }
}

/**
 * A dataset that could not be read whole (`error` says it is damaged or incomplete) is dropped
 * from the source index, so that loading the same data again stores it the full way, which writes
 * good copies of what is damaged. Returns the error, to rethrow.
 */
export function forgetIfDamaged(objects: ObjectStore, datasetHash: string, error: unknown): unknown {
  const code = (error as { code?: string } | undefined)?.code;
  if (code === "object_corrupted" || code === "object_missing") new SourceIndex(objects).forget(datasetHash);
  return error;
}

function sameList(a: readonly (string | undefined)[] | undefined, b: readonly (string | undefined)[]): boolean {
  return a !== undefined && a.length === b.length && a.every((item, i) => item !== undefined && item === b[i]);
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (!inner || typeof inner !== "object" || Array.isArray(inner)) return inner;
    return Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}
