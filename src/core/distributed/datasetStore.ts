import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Dataset } from "../data/dataset";
import { FileObjectBackend } from "../objects/fileObjectBackend";
import type { ObjectBackend } from "../objects/objectBackend";
import { ObjectStore } from "../objects/objectStore";
import { copyDataset } from "../objects/transfer";
import { PostgresDatabase } from "../store/postgres/database";
import { PostgresObjectBackend } from "../store/postgres/postgresObjectBackend";
import { STORE_DIR } from "../store/store";
import { resolveStore, type StoreLocation } from "../store/storeUrl";
import { MlexpError } from "../util/errors";

/**
 * The narrow part of a run store a worker needs: its identity (so a worker pointed at another
 * store refuses the trial instead of training on other data) and its objects, where datasets are
 * read by hash. `--store` is a workspace folder (its `.mlexp/`) or a team's `postgresql://` URL.
 */
export interface DatasetStore {
  /** Stable identity of the store, the same for every process and host that opens it. */
  readonly id: string;
  /** How to name it in messages (never with a password). */
  readonly label: string;
  readonly objects: ObjectBackend;
  close(): Promise<void>;
}

export async function openDatasetStore(given: string): Promise<DatasetStore> {
  const location = resolveStore(process.cwd(), given);
  if (location.kind === "postgresql") {
    const db = new PostgresDatabase(location.url);
    try {
      return { id: await postgresIdentity(db), label: db.description, objects: new PostgresObjectBackend(db), close: () => db.close() };
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
  }
  const dir = workspaceStoreDir(location.workspace, given);
  return { id: storeIdentity(dir), label: dir, objects: new FileObjectBackend(path.join(dir, "objects")), close: async () => undefined };
}

/** The identity of the store a coordinator records its run in. */
export async function identityOf(location: StoreLocation): Promise<string> {
  if (location.kind === "workspace") return storeIdentity(workspaceStoreDir(location.workspace, location.workspace));
  const db = new PostgresDatabase(location.url);
  try {
    return await postgresIdentity(db);
  } finally {
    await db.close().catch(() => undefined);
  }
}

async function postgresIdentity(db: PostgresDatabase): Promise<string> {
  return db.withClient(async (client) => (await client.query<{ id: string }>("SELECT id FROM mlexp_store_identity LIMIT 1")).rows[0].id);
}

function workspaceStoreDir(folder: string, given: string): string {
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    throw new MlexpError(`The store ${given} does not exist.`, "invalid_argument", "Give --store the workspace folder of the runs (the one that holds .mlexp/), or the team's postgresql:// URL.");
  }
  const dir = path.basename(folder) === STORE_DIR ? folder : path.join(folder, STORE_DIR);
  // The coordinator may not have recorded a run yet: the identity is shared through this folder.
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

const ID_FILE = "store-id";

/** A workspace store's identity, created once by whichever process needs it first. */
export function storeIdentity(storeDir: string): string {
  const file = path.join(storeDir, ID_FILE);
  if (!fs.existsSync(file)) {
    // Written whole under a temporary name, then linked into place: a process that reads the file
    // never sees it half-written, and when several create it at once the first link wins.
    const temporary = `${file}.${process.pid}.${randomUUID()}`;
    fs.writeFileSync(temporary, `${randomUUID()}\n`);
    try {
      fs.linkSync(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      fs.rmSync(temporary, { force: true });
    }
  }
  const id = fs.readFileSync(file, "utf8").trim();
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new MlexpError(`The store identity in ${file} is damaged.`, "store_corrupted", "Delete the file: a new identity is made (running workers then refuse the store's current runs).");
  return id;
}

/**
 * A worker's local copy of the datasets it trains on, content-addressed like the store: a dataset
 * is copied from the store once (only its missing chunks) and kept; every read checks each chunk
 * and the whole against their hashes.
 */
export async function cachedDataset(cacheDir: string, hash: string, store: () => Promise<DatasetStore>): Promise<Dataset> {
  const cache = new ObjectStore(cacheDir);
  if (!fs.existsSync(cache.manifestPath(hash))) {
    const opened = await store();
    try {
      await copyDataset(hash, opened.objects, new FileObjectBackend(cacheDir));
    } finally {
      await opened.close();
    }
  }
  return cache.readDataset(hash);
}
