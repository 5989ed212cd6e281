import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { RandomForestClassifier } from "../../../src/core/builtins/models/randomForestClassifier";
import { accuracy, makeBlobs, makeCircles, makeContext, splitTail, tempDir } from "./helpers";

interface SavedForest {
  forest: { baseModel: { indexes: number[][]; nEstimators: number; seed: number; treeOptions: { maxDepth: number } } };
}

async function savedForest(model: RandomForestClassifier): Promise<SavedForest["forest"]["baseModel"]> {
  const dir = tempDir("rf");
  await model.save(dir);
  return (JSON.parse(fs.readFileSync(path.join(dir, "randomForest.json"), "utf8")) as SavedForest).forest.baseModel;
}

describe("RandomForestClassifier", () => {
  it("declares its parameters with the documented defaults and checks them", () => {
    expect(new RandomForestClassifier().params).toEqual({ nEstimators: 50, maxDepth: 10, maxFeatures: 1 });
    expect(() => new RandomForestClassifier({ maxFeatures: 0 })).toThrow(/"maxFeatures" must be greater than 0/);
    expect(() => new RandomForestClassifier({ maxFeatures: 1.5 })).toThrow(/"maxFeatures" must be at most 1/);
    expect(() => new RandomForestClassifier({ nEstimators: 0 })).toThrow(/"nEstimators" must be at least 1/);
    expect(() => new RandomForestClassifier({ maxDepth: 2.5 })).toThrow(/"maxDepth" must be a whole number/);
  });

  it("learns a boundary no linear model can draw (circles)", async () => {
    const { train, test } = splitTail(makeCircles(500, 9), 150);
    const model = new RandomForestClassifier({ nEstimators: 20, maxDepth: 8 });
    model.fit(train.X, train.y, makeContext(1, 2));
    expect(accuracy(model.predict(test.X), test.y)).toBeGreaterThan(0.9);
  });

  it("passes its parameters to every tree: depth, count, and a column subset of floor(cols·maxFeatures) ≥ 1", async () => {
    const { X, y } = makeBlobs(120, 5, 3, 4);
    const columnsPerTree = async (maxFeatures: number): Promise<number[][]> => {
      const model = new RandomForestClassifier({ nEstimators: 7, maxDepth: 3, maxFeatures });
      model.fit(X, y, makeContext(1, 3));
      const saved = await savedForest(model);
      expect(saved.nEstimators).toBe(7);
      expect(saved.treeOptions.maxDepth).toBe(3);
      return saved.indexes;
    };
    for (const [fraction, count] of [
      [1, 5],
      [0.6, 3],
      [0.4, 2],
      [0.01, 1],
    ]) {
      const subsets = await columnsPerTree(fraction);
      expect(subsets).toHaveLength(7);
      for (const subset of subsets) {
        expect(subset).toHaveLength(count);
        expect(new Set(subset).size).toBe(count);
      }
    }
  });

  it("seeds the library from the run's seed (not its default 42), so seeds give different forests", async () => {
    const { X, y } = makeBlobs(120, 4, 2, 4);
    const seeds: number[] = [];
    for (const runSeed of [1, 2]) {
      const model = new RandomForestClassifier({ nEstimators: 3 });
      model.fit(X, y, makeContext(runSeed, 2));
      seeds.push((await savedForest(model)).seed);
    }
    expect(seeds[0]).not.toBe(seeds[1]);
    expect(seeds).not.toContain(42);
  });

  it("gives vote fractions: multiples of 1/nEstimators that sum to 1", () => {
    const { train, test } = splitTail(makeBlobs(300, 3, 4, 6, 2), 100);
    const model = new RandomForestClassifier({ nEstimators: 8 });
    model.fit(train.X, train.y, makeContext(1, 4));
    const proba = model.predictProba(test.X);
    for (const p of proba.data) expect(Math.abs(p * 8 - Math.round(p * 8))).toBeLessThan(1e-9);
    for (let i = 0; i < proba.rows; i++) {
      expect(proba.data.subarray(i * 4, i * 4 + 4).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    expect(proba.names).toEqual(["class_0", "class_1", "class_2", "class_3"]);
  });

  it("refuses a saved file that is not a forest", async () => {
    const dir = tempDir("rf-bad");
    fs.writeFileSync(
      path.join(dir, "randomForest.json"),
      JSON.stringify({ format: "mlexp.RandomForestClassifier", version: 1, features: ["a"], classes: 2, forest: {} }),
    );
    await expect(new RandomForestClassifier().load(dir)).rejects.toThrow(/not an ml-random-forest classifier/);
    fs.writeFileSync(path.join(dir, "randomForest.json"), JSON.stringify({ format: "mlexp.LinearRegression", version: 1 }));
    await expect(new RandomForestClassifier().load(dir)).rejects.toThrow(/is not a saved mlexp.RandomForestClassifier model/);
  });
});
