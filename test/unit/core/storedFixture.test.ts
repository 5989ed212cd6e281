import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { Dataset } from "../../../src/core/data/dataset";
import { hashDataset, ObjectStore } from "../../../src/core/objects/objectStore";
import { tempDir } from "../../helpers/tempDir";

/**
 * test/fixtures/stored-v1 was written by the object store as it was before the data path was made
 * faster (commit of issue 11): a dataset stored then must read back unchanged, whatever the store
 * writes today. Never regenerate it; add a newer fixture beside it when the format changes again.
 */
const FIXTURE = path.resolve(__dirname, "../../fixtures/stored-v1/objects");
const HASH = "e16392ac376197a6129fb9adac642efc8bf4aff6f575fe056e70d2340d1a44f5";

/** The data the fixture holds, computed as the script that wrote it did. */
function expectedColumns() {
  const rows = 3000;
  const x: number[] = [];
  const label: number[] = [];
  const colour: (string | null)[] = [];
  const note: string[] = [];
  for (let i = 0; i < rows; i++) {
    x.push(i % 97 === 0 ? NaN : Math.sin(i) * 1000 + i / 7);
    label.push(i % 3);
    colour.push(i % 50 === 0 ? null : ["red", "green", "blue", 'ünïcode, "quoted"'][i % 4]);
    note.push(`row ${i} ${"x".repeat(i % 13)}`);
  }
  return { x, colour, note, label };
}

describe("datasets stored by earlier versions", () => {
  it("reads the version-1 fixture back, verified against its hashes", () => {
    const dir = path.join(tempDir(), "objects");
    fs.cpSync(FIXTURE, dir, { recursive: true });
    const dataset = new ObjectStore(dir).getDataset(HASH);
    const expected = expectedColumns();
    expect(dataset.rowCount).toBe(3000);
    expect(dataset.target).toBe("label");
    expect(dataset.columns.map((c) => [c.name, c.kind])).toEqual([
      ["x", "number"],
      ["colour", "string"],
      ["note", "string"],
      ["label", "number"],
    ]);
    expect(Array.from(dataset.column("x").values as Float64Array)).toEqual(expected.x);
    expect(Array.from(dataset.column("label").values as Float64Array)).toEqual(expected.label);
    expect(dataset.column("colour").values).toEqual(expected.colour);
    expect(dataset.column("note").values).toEqual(expected.note);
  });

  it("reads it on the thread pool too, and names the hash the same data gets when stored now", async () => {
    const dir = path.join(tempDir(), "objects");
    fs.cpSync(FIXTURE, dir, { recursive: true });
    const store = new ObjectStore(dir);
    const dataset = await store.readDataset(HASH);
    expect(dataset.column("note").values).toEqual(expectedColumns().note);
    const { x, colour, note, label } = expectedColumns();
    const fresh = Dataset.fromColumns({ x, colour, note, label }, "label");
    const now = await store.currentFormatHash(HASH);
    expect(now).toBe(hashDataset(fresh));
    expect(now).not.toBe(HASH);
    expect((await store.putDataset(fresh)).manifest.hash).toBe(now);
    expect(await store.currentFormatHash(now as string)).toBe(now);
  });
});
