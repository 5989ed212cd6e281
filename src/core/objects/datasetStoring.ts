import type { Dataset } from "../data/dataset";
import type { JsonObject } from "../util/json";
import { markPhase } from "../util/timeline";
import { ObjectStore, type PutResult } from "./objectStore";
import { SourceFiles } from "./sourceFiles";
import { SourceIndex, sourceKey, type SourceIdentity } from "./sourceIndex";
import { startStoringThread, type StoringThread } from "./storeInBackground";

export interface StoredDataset extends PutResult {
  /** True when the source index said the store already had this data and the store confirmed it: nothing was encoded or written. */
  reused: boolean;
  /** The dataset's data summary, recorded with the index entry (reused data only). */
  summary?: JsonObject;
}

/** A run's dataset storing, prepared before the data loads. */
export interface DatasetStoring {
  /**
   * Stores the dataset once it has loaded (or finds it stored already); `beforeStoring` runs first
   * and may throw (a cancelled run). Call it once, right after starting the load: whatever the
   * load's outcome, the storing thread ends.
   */
  whenLoaded(dataset: Promise<Dataset>, beforeStoring: () => void): Promise<StoredDataset>;
  /**
   * Records in the source index that this run's inputs gave the stored dataset (with its summary),
   * when they could be identified and it was not found there already. Never fails the run.
   */
  remember(stored: StoredDataset, summary: JsonObject): void;
}

/**
 * Prepares storing a run's dataset into the local object store. With a built-in loader's
 * `identity`, data the store already holds from the same inputs is not stored again (see
 * SourceIndex): its files are hashed while the loader reads them, and for generated data (no
 * files) the index is asked at once, so that a dataset already stored starts no storing thread at
 * all. Otherwise the storing thread starts now, to start up during the load (see startStoringThread).
 */
export function prepareDatasetStoring(objectsDir: string, identity: SourceIdentity | undefined): DatasetStoring {
  const index = identity && new SourceIndex(new ObjectStore(objectsDir));
  const files = identity?.files.length ? new SourceFiles(identity.files) : undefined;
  const likelyStored = index && identity && !files && index.probe(sourceKey(identity, [])) !== undefined;
  let thread: StoringThread | undefined = likelyStored ? undefined : startStoringThread(objectsDir);
  let key: string | undefined;
  return {
    whenLoaded(dataset, beforeStoring) {
      const stored = (async (): Promise<StoredDataset> => {
        const loaded = await dataset;
        beforeStoring();
        key = identity && (await keyOf(identity, files));
        const known = index && key !== undefined ? await index.confirm(key) : undefined;
        if (known) {
          thread?.cancel();
          markPhase("dataset loaded, found stored already (source index)");
          return { manifest: known.manifest, writtenBytes: 0, reused: true, summary: known.summary };
        }
        thread ??= startStoringThread(objectsDir);
        markPhase("dataset loaded, handed to the storing thread");
        return { ...(await thread.store(loaded)), reused: false };
      })();
      // A load that failed or was cancelled never hands the thread its dataset: end it.
      stored.catch(() => thread?.cancel());
      return stored;
    },
    remember(stored, summary) {
      if (!index || key === undefined || (stored.reused && stored.summary)) return;
      try {
        index.record(key, stored.manifest.hash, summary);
      } catch {
        // The index is a hint: failing to write it (a read-only or full disk) costs the next run a store, never this run.
      }
    },
  };
}

/** The index key, or undefined when a file could not be hashed or changed while it was loaded. */
async function keyOf(identity: SourceIdentity, files: SourceFiles | undefined): Promise<string | undefined> {
  if (!files) return sourceKey(identity, []);
  const hashes = await files.unchangedHashes();
  return hashes && sourceKey(identity, hashes);
}
