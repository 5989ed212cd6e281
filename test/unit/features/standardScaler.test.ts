import { describe, expect, it } from "vitest";
import { StandardScaler } from "../../../src/core/builtins/features/standardScaler";
import { dataset, restored, rowsOf, sameMatrix } from "./helpers";

// x: mean 2, population std sqrt(2/3) ≈ 0.8165 (the missing value is ignored when fitting).
const train = dataset({ x: [1, 2, 3, null], flat: [5, 5, 5, 5], color: ["a", "b", "a", "b"], y: [0, 1, 0, 1] });
const std = Math.sqrt(2 / 3);

function expectRows(actual: number[][], expected: number[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((value, j) => expect(value, `row ${i} column ${j}`).toBeCloseTo(expected[i][j], 12)));
}

describe("StandardScaler", () => {
  it("scales to zero mean and unit variance; a constant column is only centred; text is one-hot", () => {
    const scaler = new StandardScaler();
    scaler.fit(train);
    const matrix = scaler.transform(train);
    expect(matrix.names).toEqual(["x", "flat", "color=a", "color=b"]);
    expectRows(rowsOf(matrix), [
      [-1 / std, 0, 1, 0],
      [0, 0, 0, 1],
      [1 / std, 0, 1, 0],
      [0, 0, 0, 1], // missing x → mean → 0
    ]);
  });

  it("can skip centring or scaling", () => {
    const noMean = new StandardScaler({ withMean: false });
    noMean.fit(train);
    expectRows(rowsOf(noMean.transform(train)).map((row) => row.slice(0, 2)), [[1 / std, 5], [2 / std, 5], [3 / std, 5], [2 / std, 5]]);
    const noStd = new StandardScaler({ withStd: false });
    noStd.fit(train);
    expectRows(rowsOf(noStd.transform(train)).map((row) => row.slice(0, 2)), [[-1, 0], [0, 0], [1, 0], [0, 0]]);
  });

  it("applies the training statistics to new rows", () => {
    const scaler = new StandardScaler();
    scaler.fit(train);
    const test = dataset({ x: [5], flat: [7], color: ["c"], y: [0] });
    expectRows(rowsOf(scaler.transform(test)), [[3 / std, 2, 0, 0]]);
  });

  it("restores its fitted state in a fresh instance, bit for bit", () => {
    const scaler = new StandardScaler({ withMean: false });
    scaler.fit(train);
    const copy = restored(StandardScaler, { withMean: false }, scaler);
    expect(sameMatrix(copy.transform(train), scaler.transform(train))).toBe(true);
  });

  it("rejects a state that does not fit its plan", () => {
    const scaler = new StandardScaler();
    scaler.fit(train);
    const state = scaler.getState() as { stds: number[] };
    expect(() => new StandardScaler().setState({ ...state, stds: [1] })).toThrow(/stds must be an array of 2 numbers/);
  });
});
