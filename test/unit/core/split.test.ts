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

  it("gives the rows an earlier version gave for the same seed: a recorded run's split is made again exactly", () => {
    // Pinned from the version that sorted arrays of indices (before 2026-11-29): the faster split must not move a row.
    const mixed = Float64Array.from({ length: 1000 }, (_, i) => [2, 0, 1, 0][i % 4] + (i % 7 === 0 ? 0.5 : 0));
    const stratified = trainTestSplit(1000, 0.2, new Rng(42), mixed);
    expect([...stratified.test.slice(0, 8)]).toEqual([3, 5, 9, 11, 13, 15, 16, 23]);
    expect(stratified.test.length).toBe(200);
    expect(stratified.test.reduce((sum, i) => sum + i, 0)).toBe(96444);
    const plain = trainTestSplit(1000, 0.2, new Rng(42));
    expect([...plain.test.slice(0, 8)]).toEqual([1, 11, 17, 20, 22, 24, 26, 40]);
    expect(plain.test.reduce((sum, i) => sum + i, 0)).toBe(99496);
    const folds = kFolds(200, 3, new Rng(9), mixed.slice(0, 200));
    expect([...folds[0].test.slice(0, 8)]).toEqual([1, 3, 8, 9, 16, 19, 20, 21]);
    expect(folds.map((fold) => fold.test.reduce((sum, i) => sum + i, 0))).toEqual([6210, 6717, 6973]);
    for (const split of [stratified, plain]) {
      expect([...split.train, ...split.test].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
      expect([...split.test]).toEqual([...split.test].sort((a, b) => a - b));
      expect([...split.train]).toEqual([...split.train].sort((a, b) => a - b));
    }
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
