import { describe, expect, it } from "vitest";
import { kFolds, trainTestSplit } from "../../../src/core/training/split";
import { Rng } from "../../../src/core/util/random";

describe("train/test split", () => {
  const labels = Float64Array.from({ length: 100 }, (_, i) => (i < 90 ? 0 : 1));

  it("stratifies: each class keeps its share on both sides", () => {
    const split = trainTestSplit(100, 0.2, new Rng(1), labels);
    expect(split.test.length).toBe(20);
    expect([...split.test].filter((i) => labels[i] === 1)).toHaveLength(2);
    expect(new Set([...split.train, ...split.test]).size).toBe(100);
  });

  it("is the same for the same seed and different for another", () => {
    const a = trainTestSplit(100, 0.2, new Rng(1), labels);
    expect(trainTestSplit(100, 0.2, new Rng(1), labels)).toEqual(a);
    expect(trainTestSplit(100, 0.2, new Rng(2), labels).test).not.toEqual(a.test);
  });

  it("refuses a dataset too small to split", () => {
    expect(() => trainTestSplit(1, 0.2, new Rng(1))).toThrow(/at least 2 are needed/);
  });
});

describe("k folds", () => {
  it("covers every row once as validation, stratified", () => {
    const labels = Float64Array.from({ length: 30 }, (_, i) => i % 3);
    const folds = kFolds(30, 3, new Rng(5), labels);
    const validated = folds.flatMap((fold) => [...fold.test]).sort((a, b) => a - b);
    expect(validated).toEqual(Array.from({ length: 30 }, (_, i) => i));
    for (const fold of folds) {
      expect(fold.test.length + fold.train.length).toBe(30);
      const zeros = [...fold.test].filter((i) => labels[i] === 0).length;
      expect(zeros === 3 || zeros === 4).toBe(true);
    }
  });

  it("rejects impossible fold counts", () => {
    expect(() => kFolds(3, 5, new Rng(1))).toThrow(/Cannot make 5 cross-validation folds from 3/);
  });
});
