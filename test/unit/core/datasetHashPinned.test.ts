import { describe, expect, it } from "vitest";
import { chunkRows } from "../../../src/core/objects/chunker";
import { hashDataset } from "../../../src/core/objects/objectStore";
import { storageCases } from "../../helpers/storageDatasets";

/**
 * The dataset hash is the identity of stored data: runs record it and compare it with the data
 * they load again ("data changed"). These hashes were computed by the format-3 code as first
 * landed (main at 94279c1, before issue 11's speed work); any change to the chunker or the
 * encodings that alters a stored byte fails here.
 */
const PINNED: Record<string, string> = {
  mixed: "fc0f2a5bba8f7af234eab932f27945d07e5894907b8eb8d038e8b1d97173d6a3",
  textHeavy: "97e9ea2fe6dd5e5d65056265cad4c7afb7932be5499c7e07be764cbf7d820a8f",
  wide: "40aaa45f1d542c6be328cf9fc59aae227dd62c699079e5addb1e4909005d2b16",
  nanAndEdges: "f470d5748a00468b30da9110cfae50efd4e9730a033f99f8e014e0a3ea80253b",
  tiny: "afb11cc3388c6f56bbf2d01c2d14226899f86a31f0f477bbe9e1fb703dc79556",
  oneRow: "83c5efdf967822bb099070609d8760c03c7bb0438f38211b42fcc09df6043762",
  noRows: "5d84f754a5c5405022f752fcbd089b1c23131eb86f10ccbc085d7e4ba0580e8a",
};

describe("format-3 dataset hashes", () => {
  const cases = storageCases();

  it("are the same as when format 3 was first stored, on every kind of data", () => {
    for (const [name, dataset] of Object.entries(cases)) expect(hashDataset(dataset), name).toBe(PINNED[name]);
  });

  it("cover datasets of many chunks as well as tiny ones", () => {
    expect(chunkRows(cases.mixed.columns, cases.mixed.rowCount).length).toBeGreaterThan(20);
    expect(chunkRows(cases.wide.columns, cases.wide.rowCount).length).toBeGreaterThan(10);
    expect(chunkRows(cases.noRows.columns, 0)).toEqual([{ start: 0, end: 0 }]);
  });
});
