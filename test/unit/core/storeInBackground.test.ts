import * as os from "node:os";
import { describe, expect, it } from "vitest";
import { hashDataset, ObjectStore } from "../../../src/core/objects/objectStore";
import { chunkThreadsBesideTraining, startStoringThread } from "../../../src/core/objects/storeInBackground";
import { tempDir } from "../../helpers/tempDir";
import { seededDataset } from "./fixtures/seededDataset";

describe("storing a run's dataset beside the training", () => {
  it("leaves one core to the fit: every other core stores, one core or none means the storing thread alone", () => {
    expect([1, 2, 3, 8].map(chunkThreadsBesideTraining)).toEqual([0, 1, 2, 7]);
  });

  it("stores a dataset big enough for chunk threads with the hash one thread gives, and it reads back", async () => {
    // 400,000 rows × (two numbers + a label) is over the chunk threads' 8 MiB threshold.
    const dataset = seededDataset(400_000, 7);
    const dir = tempDir();
    const result = await startStoringThread(dir).store(dataset);
    expect(result.manifest.hash).toBe(hashDataset(dataset));
    const back = await new ObjectStore(dir).readDataset(result.manifest.hash, { threads: Math.min(2, os.availableParallelism()) });
    expect(back.rowCount).toBe(400_000);
    expect(Array.from(back.columns[0].values as Float64Array).slice(0, 5)).toEqual(Array.from(dataset.columns[0].values as Float64Array).slice(0, 5));
  });
});
