import { describe, expect, it } from "vitest";
import { MinMaxScaler } from "../../../src/core/builtins/features/minMaxScaler";
import { errorOf } from "../datasets/helpers";
import { dataset, restored, rowsOf, sameMatrix } from "./helpers";

const train = dataset({ x: [2, 4, 6, null], flat: [3, 3, 3, 3], color: ["a", "b", null, "a"], y: [0, 1, 0, 1] });

describe("MinMaxScaler", () => {
  it("maps the training range to [0, 1]; constant columns to the minimum; missing to the scaled mean", () => {
    const scaler = new MinMaxScaler();
    scaler.fit(train);
    const matrix = scaler.transform(train);
    expect(matrix.names).toEqual(["x", "flat", "color=a", "color=b"]);
    expect(rowsOf(matrix)).toEqual([
      [0, 0, 1, 0],
      [0.5, 0, 0, 1],
      [1, 0, 0, 0],
      [0.5, 0, 1, 0],
    ]);
  });

  it("uses a custom range and does not clip values outside the training range", () => {
    const scaler = new MinMaxScaler({ min: -1, max: 1 });
    scaler.fit(train);
    const test = dataset({ x: [8, 0], flat: [9, 3], color: ["a", "z"], y: [0, 0] });
    expect(rowsOf(scaler.transform(test))).toEqual([
      [2, -1, 1, 0],
      [-2, -1, 0, 0],
    ]);
  });

  it("restores its fitted state in a fresh instance, bit for bit", () => {
    const scaler = new MinMaxScaler({ min: 1, max: 3 });
    scaler.fit(train);
    expect(sameMatrix(restored(MinMaxScaler, { min: 1, max: 3 }, scaler).transform(train), scaler.transform(train))).toBe(true);
  });

  it("refuses min ≥ max with a message that shows both", async () => {
    const error = await errorOf(() => new MinMaxScaler({ min: 1, max: 1 }));
    expect(error.code).toBe("invalid_params");
    expect(error.message).toContain('"min" (1) must be less than "max" (1)');
  });
});
