import type { Dataset } from "../data/dataset";
import type { JsonObject } from "../util/json";
import { markPhase } from "../util/timeline";
import { ObjectStore, type PutResult } from "./objectStore";
import { SourceFiles } from "./sourceFiles";
import { SourceIndex, sourceKey, type KnownDataset, type SourceIdentity } from "./sourceIndex";
import { storedDigest } from "./storedDigest";
import { startStoringThread, type StoringThread } from "./storeInBackground";

export interface StoredDataset extends PutResult {
  /** True when the source index said the store already had this data and its stored bytes were found intact: nothing was encoded or written. */
  reused: boolean;
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
   * The data summary recorded with the dataset the source index found, once found (before its
   * stored bytes are checked), with that dataset's hash: the summary holds for the stored result
   * only if it has that hash.
   */
  knownSummary(): { hash: string; summary: JsonObject } | undefined;
  /**
   * Records in the source index that this run's inputs gave the stored dataset (with its summary),
   * when they could be identified and it was not found there already. Never fails the run.
   */
  remember(stored: StoredDataset, summary: JsonObject): Promise<void>;
}

/**
 * Prepares storing a run's dataset into the local object store. With a built-in loader's
 * `identity`, data the store already holds from the same inputs is not stored again (see
 * SourceIndex): its files are hashed while the loader reads them. The index is asked at once
 * whether the data is likely stored (generated data, or files in the state they were hashed in),
 * so that such a run starts no storing thread at all; otherwise the storing thread starts now, to
 * start up during the load (see startStoringThread), and is ended if the data turns out stored.
 */
export function prepareDatasetStoring(objectsDir: string, identity: SourceIdentity | undefined): DatasetStoring {
  const objects = new ObjectStore(objectsDir);
  const index = identity && new SourceIndex(objects);
  const files = identity?.files.length ? new SourceFiles(identity.files) : undefined;
  const likelyStored = index && identity && index.probe(identity, files?.before);
  let thread: StoringThread | undefined = likelyStored ? undefined : startStoringThread(objectsDir);
  let key: string | undefined;
  let known: KnownDataset | undefined;
  return {
    whenLoaded(dataset, beforeStoring) {
      const stored = (async (): Promise<StoredDataset> => {
        const loaded = await dataset;
        beforeStoring();
        key = identity && (await keyOf(identity, files));
        known = index && identity && key !== undefined ? await index.confirm(identity, key) : undefined;
        if (known) {
          thread?.cancel();
          thread = undefined;
          markPhase("dataset loaded, found stored already (source index)");
          // Checked while the model trains (see storedDigest); damaged bytes are stored again.
          if ((await storedDigest(objects, known.manifest, known.chunks)) === known.storedDigest) return { manifest: known.manifest, writtenBytes: 0, reused: true };
          markPhase("stored bytes changed since they were recorded: storing the full way");
        }
        thread ??= startStoringThread(objectsDir);
        markPhase("dataset loaded, handed to the storing thread");
        return { ...(await thread.store(loaded)), reused: false };
      })();
      // A load that failed or was cancelled never hands the thread its dataset: end it.
      stored.catch(() => thread?.cancel());
      return stored;
    },
    knownSummary: () => (known?.summary ? { hash: known.manifest.hash, summary: known.summary } : undefined),
    async remember(stored, summary) {
      if (!index || !identity || key === undefined || stored.reused) return;
      try {
        await index.record(identity, key, stored.manifest, summary, files?.before);
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
