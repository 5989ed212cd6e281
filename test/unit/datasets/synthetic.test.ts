import { describe, expect, it } from "vitest";
import { Synthetic } from "../../../src/core/builtins/datasets/synthetic";
import { labelName } from "../../../src/core/builtins/datasets/shared/syntheticParts";
import type { Dataset } from "../../../src/core/data/dataset";
import { errorOf, tempWorkspace, valuesOf } from "./helpers";

function generate(params: Record<string, unknown> = {}, seed = 0): Dataset {
  return new Synthetic(params).load(tempWorkspace({ seed }).context) as Dataset;
}

/** Every column's values as one JSON text, to compare whole datasets. */
function fingerprint(data: Dataset): string {
  return JSON.stringify(data.columns.map((c) => [c.name, c.kind, Array.from(c.values as ArrayLike<unknown>)]));
}

/** Accuracy on the second half of a nearest-class-mean rule fitted on the first half. */
function nearestMeanAccuracy(data: Dataset, classes: number): number {
  const features = data.featureColumns.map((c) => c.values as Float64Array);
  const labels = data.targetColumn.values as Float64Array;
  const half = Math.floor(data.rowCount / 2);
  const sums = Array.from({ length: classes }, () => new Float64Array(features.length));
  const counts = new Float64Array(classes);
  for (let i = 0; i < half; i++) {
    counts[labels[i]]++;
    features.forEach((f, j) => (sums[labels[i]][j] += f[i]));
  }
  let correct = 0;
  for (let i = half; i < data.rowCount; i++) {
    let best = -1;
    let bestDistance = Infinity;
    for (let c = 0; c < classes; c++) {
      const distance = features.reduce((d, f, j) => d + (f[i] - sums[c][j] / counts[c]) ** 2, 0);
      if (distance < bestDistance) [best, bestDistance] = [c, distance];
    }
    if (best === labels[i]) correct++;
  }
  return correct / (data.rowCount - half);
}

describe("Synthetic", () => {
  it("has the documented shape: x0…, c0…, then a numeric target", () => {
    const data = generate({ rows: 50, features: 4, categorical: 2 });
    expect(data.rowCount).toBe(50);
    expect(data.target).toBe("target");
    expect(data.columns.map((c) => `${c.name}:${c.kind}`)).toEqual(["x0:number", "x1:number", "x2:number", "x3:number", "c0:string", "c1:string", "target:number"]);
    const labels = new Set(valuesOf(data.targetColumn));
    expect([...labels].sort()).toEqual([0, 1]);
    for (const value of data.column("c0").values) expect(value).toMatch(/^[a-f]$/);
  });

  it("is the same for the same seed, whatever the training seed, and different for another seed", () => {
    const params = { rows: 200, features: 3, categorical: 1, classes: 3 };
    const first = fingerprint(generate(params, 1));
    expect(fingerprint(generate(params, 99))).toBe(first);
    expect(fingerprint(generate({ ...params, seed: 1 }))).not.toBe(first);
    expect(fingerprint(generate({ ...params, task: "regression" }))).not.toBe(first);
  });

  it("gives a learnable but not trivially separable classification problem", () => {
    const accuracy = nearestMeanAccuracy(generate({ rows: 4000, features: 8, classes: 3 }), 3);
    expect(accuracy).toBeGreaterThan(0.6); // chance is 1/3
    expect(accuracy).toBeLessThan(0.99);
    expect(nearestMeanAccuracy(generate({ rows: 1000, features: 4, noise: 0 }), 2)).toBe(1);
  });

  it("uses every class, and labels them as text on request", () => {
    const data = generate({ rows: 3000, classes: 5, stringLabels: true });
    expect(data.targetColumn.kind).toBe("string");
    expect(new Set(valuesOf(data.targetColumn))).toEqual(new Set(["class_a", "class_b", "class_c", "class_d", "class_e"]));
    expect([0, 25, 26, 27, 701, 702].map(labelName)).toEqual(["a", "z", "aa", "ab", "zz", "aaa"]);
  });

  it("makes regression a linear function of the informative features plus noise", () => {
    const exact = generate({ task: "regression", rows: 100, features: 2, informative: 1, noise: 0 });
    const x = exact.column("x0").values as Float64Array;
    const y = exact.targetColumn.values as Float64Array;
    const slope = (y[1] - y[0]) / (x[1] - x[0]);
    for (let i = 0; i < 100; i++) expect(y[i]).toBeCloseTo(y[0] + slope * (x[i] - x[0]), 9);
    const noisy = generate({ task: "regression", rows: 2000, features: 2, informative: 1, noise: 1 });
    const nx = noisy.column("x0").values as Float64Array;
    const ny = noisy.targetColumn.values as Float64Array;
    const residuals = Array.from(ny, (value, i) => value - (ny[0] + slope * (nx[i] - nx[0])));
    const mean = residuals.reduce((a, b) => a + b, 0) / residuals.length;
    const std = Math.sqrt(residuals.reduce((a, r) => a + (r - mean) ** 2, 0) / residuals.length);
    expect(std).toBeGreaterThan(0.9);
    expect(std).toBeLessThan(1.1);
  });

  it("makes informative text columns follow the class", () => {
    const data = generate({ rows: 4000, features: 1, informative: 0, categorical: 2 });
    const labels = data.targetColumn.values as Float64Array;
    const agreement = (name: string) => {
      const counts = new Map<string, number[]>();
      data.column(name).values.forEach((value, i) => {
        const entry = counts.get(value as string) ?? [0, 0];
        entry[labels[i]]++;
        counts.set(value as string, entry);
      });
      return [...counts.values()].reduce((sum, [a, b]) => sum + Math.max(a, b), 0) / data.rowCount;
    };
    expect(agreement("c0")).toBeGreaterThan(0.6); // informative
    expect(agreement("c1")).toBeLessThan(0.56); // noise: about half
  });

  it("generates a million rows", () => {
    const data = generate({ rows: 1_000_000, features: 10 });
    expect(data.rowCount).toBe(1_000_000);
    expect(data.columns).toHaveLength(11);
  });

  describe("errors", () => {
    it("more informative features than features", async () => {
      const error = await errorOf(() => new Synthetic({ features: 3, informative: 4 }));
      expect(error.code).toBe("invalid_params");
      expect(error.message).toContain('"informative" (4) is more than "features" (3)');
    });

    it("text labels on a regression task", async () => {
      const error = await errorOf(() => new Synthetic({ task: "regression", stringLabels: true }));
      expect(error.message).toMatch(/"stringLabels" only applies to classification/);
    });

    it("a dataset too large for memory", async () => {
      const error = await errorOf(() => new Synthetic({ rows: 100_000_000, features: 100 }));
      expect(error.message).toMatch(/more than the 250,000,000 that fit in memory/);
    });

    it("ill-typed and out-of-range parameters (checked by the base class)", async () => {
      expect((await errorOf(() => new Synthetic({ rows: 0 }))).message).toMatch(/"rows" must be at least 1/);
      expect((await errorOf(() => new Synthetic({ task: "ranking" }))).message).toMatch(/must be one of classification, regression/);
    });
  });
});
