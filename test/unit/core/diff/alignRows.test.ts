import { describe, expect, it } from "vitest";
import { alignRows } from "../../../../src/core/diff/data/alignRows";

const seq = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => i + offset);

describe("alignRows", () => {
  it("reads a replaced row as changed, and insertions and deletions as added and removed", () => {
    expect(alignRows([1, 2, 3, 4], [1, 9, 3, 4], 5)).toMatchObject({ changed: 1, added: 0, removed: 0, changedRows: [[1, 1]] });
    expect(alignRows([1, 2, 3], [1, 2, 7, 8, 3], 5)).toMatchObject({ changed: 0, added: 2, removed: 0, addedRows: [2, 3] });
    expect(alignRows([1, 2, 3, 4], [1, 4], 5)).toMatchObject({ changed: 0, added: 0, removed: 2, removedRows: [1, 2] });
    expect(alignRows([1, 2, 3], [1, 2, 3], 5)).toMatchObject({ changed: 0, added: 0, removed: 0, approximate: false });
  });

  it("pairs what it can and keeps only `keep` examples", () => {
    const result = alignRows([0, 1, 2, 3, 4], [0, 11, 12, 13, 4], 2);
    expect(result).toMatchObject({ changed: 3, changedRows: [[1, 1], [2, 2]] });
  });

  it("matches rows by content when the middle is too different to align in order, with exact counts", () => {
    const a = seq(10_000);
    const b = [...seq(5_000).reverse(), ...seq(5_000, 20_000)];
    const result = alignRows(a, b, 3);
    expect(result.approximate).toBe(true);
    expect(result.changed + result.removed).toBe(5_000);
    expect(result.changed + result.added).toBe(5_000);
    expect(result.changedRows).toHaveLength(3);
  });
});
