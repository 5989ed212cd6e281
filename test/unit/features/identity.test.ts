import { describe, expect, it } from "vitest";
import { Identity } from "../../../src/core/builtins/features/identity";
import { errorOf } from "../datasets/helpers";
import { dataset, restored, rowsOf, sameMatrix } from "./helpers";

const train = dataset({ x: [1, null, 3], color: ["red", null, "blue"], y: [0, 1, 0] });

describe("Identity", () => {
  it("passes numbers through, imputes the training mean and one-hot encodes text, in column order", () => {
    const generator = new Identity();
    generator.fit(train);
    const matrix = generator.transform(train);
    expect(matrix.names).toEqual(["x", "color=blue", "color=red"]);
    expect(rowsOf(matrix)).toEqual([
      [1, 0, 1],
      [2, 0, 0],
      [3, 1, 0],
    ]);
  });

  it("uses what it learned in fit on other rows: training mean, unseen category as zeros", () => {
    const generator = new Identity();
    generator.fit(train);
    const test = dataset({ x: [null, 10], color: ["green", "red"], y: [1, 1] });
    expect(rowsOf(generator.transform(test))).toEqual([
      [2, 0, 0],
      [10, 0, 1],
    ]);
  });

  it("never includes the target, even a text one", () => {
    const generator = new Identity();
    const data = dataset({ a: [1, 2], label: ["yes", "no"] }, "label");
    generator.fit(data);
    expect(generator.transform(data).names).toEqual(["a"]);
  });

  it("restores its fitted state in a fresh instance", () => {
    const generator = new Identity();
    generator.fit(train);
    const copy = restored(Identity, {}, generator);
    const test = dataset({ x: [null, 4], color: ["blue", "pink"], y: [0, 0] });
    expect(sameMatrix(copy.transform(test), generator.transform(test))).toBe(true);
  });

  it("refuses to transform before fit, and says how to fix it", async () => {
    const error = await errorOf(() => new Identity().transform(train));
    expect(error.message).toMatch(/before it was fitted/);
    expect(error.message).toMatch(/Call fit/);
  });
});
