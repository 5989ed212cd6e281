import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Dataset } from "../data/dataset";
import { ObjectStore } from "../objects/objectStore";
import { STORE_DIR } from "../store/store";
import { MlexpError } from "../util/errors";

/**
 * The narrow seam a worker needs from a run store: its identity (so a worker pointed at another
 * store refuses the trial instead of training on other data) and datasets by hash, verified.
 * Today it is a workspace's `.mlexp/` folder; a team store is another implementation.
 */
export interface DatasetStore {
  /** Stable identity of the store, the same for every process that opens it. */
  readonly id: string;
  /** How to name it in messages (never with a password). */
  readonly label: string;
  getDataset(hash: string): Promise<Dataset>;
}

/** Opens `--store`: a workspace folder (holding `.mlexp/`) or the `.mlexp/` folder itself. */
export function openDatasetStore(location: string): DatasetStore {
  const dir = storeDirOf(location);
  const objects = new ObjectStore(path.join(dir, "objects"));
  return { id: storeIdentity(dir), label: dir, getDataset: async (hash) => objects.getDataset(hash) };
}

function storeDirOf(location: string): string {
  const given = path.resolve(location);
  if (!fs.existsSync(given) || !fs.statSync(given).isDirectory()) {
    throw new MlexpError(`The store ${location} does not exist.`, "invalid_argument", "Give --store the workspace folder of the runs (the one that holds .mlexp/).");
  }
  const dir = path.basename(given) === STORE_DIR ? given : path.join(given, STORE_DIR);
  // The coordinator may not have recorded a run yet: the identity is shared through this folder.
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

const ID_FILE = "store-id";

/** The store's identity, created once by whichever process needs it first. */
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
 * is read from the store once, verified against its hash, and kept; later trials read the copy
 * (verified again, which is cheap next to training).
 */
export async function cachedDataset(cacheDir: string, hash: string, store: () => DatasetStore): Promise<Dataset> {
  const cache = new ObjectStore(cacheDir);
  if (fs.existsSync(cache.manifestPath(hash))) return cache.getDataset(hash);
  const dataset = await store().getDataset(hash);
  const { manifest } = await cache.putDataset(dataset);
  if (manifest.hash !== hash) {
    throw new MlexpError(`The dataset ${hash} read from the store stores again as ${manifest.hash}.`, "object_corrupted", "Check that the worker runs the same mlexp version as the coordinator.");
  }
  return dataset;
}
