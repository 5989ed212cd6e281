import { describe, expect, it } from "vitest";
import { ColumnSorter } from "../../../src/core/builtins/models/forest/argsort";
import { binEdges, binFeatures, binOf } from "../../../src/core/builtins/models/forest/binning";
import { TreeGrower } from "../../../src/core/builtins/models/forest/growTree";
import { histogramLayout } from "../../../src/core/builtins/models/forest/histogram";
import { bootstrapCounts, weightedSample } from "../../../src/core/builtins/models/forest/sampling";
import type { Tree } from "../../../src/core/builtins/models/forest/tree";
import { createMatrix, type Matrix } from "../../../src/core/data/matrix";
import { Rng } from "../../../src/core/util/random";
import { makeClassification } from "./helpers";

describe("ColumnSorter", () => {
  it("orders rows by value like a numeric sort: negatives, zeros, ties, whole numbers, extremes", () => {
    const rng = new Rng(4);
    const columns = [
      Float64Array.from({ length: 5000 }, () => rng.normal() * 10 ** (rng.int(40) - 20)),
      Float64Array.from({ length: 5000 }, () => rng.int(7) - 3),
      Float64Array.from([0, -0, 1, -1, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE, 0.5, -0.5, 0.5]),
      Float64Array.from([3, 3, 3]),
      new Float64Array(0),
    ];
    for (const values of columns) {
      const order = new ColumnSorter(values.length).argsort(values);
      expect(Array.from(order, (row) => values[row])).toEqual(Array.from(values.slice().sort()));
      expect(new Set(order).size).toBe(values.length);
    }
  });
});

describe("binning", () => {
  it("gives each of a few distinct values its own bin, with edges half-way between them", () => {
    const sorted = Float64Array.from([-1, -1, 0, 0, 0, 0, 0, 0, 0, 2, 3, 3]);
    expect(Array.from(binEdges(sorted, 256))).toEqual([-0.5, 1, 2.5]);
    expect(Array.from(binEdges(Float64Array.from([4, 4, 4]), 256))).toEqual([]);
  });

  it("cuts many distinct values into at most maxBins bins of about equal counts, never splitting a run of equal values", () => {
    const rng = new Rng(3);
    const values = Float64Array.from({ length: 10_000 }, (_, i) => (i < 4000 ? 0 : rng.normal()));
    const edges = binEdges(values.slice().sort(), 64);
    expect(edges.length).toBeLessThanOrEqual(63);
    expect(edges.length).toBeGreaterThan(55);
    const counts = new Array<number>(edges.length + 1).fill(0);
    for (const v of values) counts[binOf(edges, v)]++;
    // The 4,000 zeros share one bin; the others split the remaining rows about evenly.
    expect(counts[binOf(edges, 0)]).toBeGreaterThanOrEqual(4000);
    const others = counts.filter((_, b) => b !== binOf(edges, 0));
    expect(Math.max(...others)).toBeLessThan((2 * 6000) / 63);
  });

  it("separates neighbouring doubles, whose midpoint rounds to the larger one", () => {
    const a = 1;
    const b = 1 + Number.EPSILON;
    const edges = binEdges(Float64Array.from([a, b]), 256);
    expect(Array.from(edges)).toEqual([a]);
    expect([binOf(edges, a), binOf(edges, b)]).toEqual([0, 1]);
  });

  it("codes each value by the edges: edges[bin-1] < x ≤ edges[bin]", () => {
    const { X } = makeClassification(3000, 3, 2, 5);
    for (let i = 0; i < 3000; i++) X.data[i * 3 + 2] = Math.round(X.data[i * 3 + 2] * 3);
    const binned = binFeatures(X);
    for (let f = 0; f < 3; f++) {
      const edges = binned.edges[f];
      for (let r = 0; r < X.rows; r++) {
        const x = X.data[r * 3 + f];
        const bin = binned.codes[r * 3 + f];
        expect(bin === 0 || x > edges[bin - 1]).toBe(true);
        expect(bin === edges.length || x <= edges[bin]).toBe(true);
      }
    }
    expect(binned.edges[0].length).toBe(255);
    expect(binned.edges[2].length).toBeLessThan(30);
  });
});

/**
 * Grows a tree on bootstrap-weighted rows and checks every node against brute force: its split is
 * the best Gini split among all bin edges of all features for the rows that reach it, and each leaf
 * holds exactly their class weights. This covers the histograms (counted, subtracted and reused
 * buffers) and both split scans.
 */
describe("tree growth against brute force", () => {
  it.each([
    { classes: 2, minSamplesLeaf: 1, rows: 1500, rounding: 0, values: "continuous (quantile bins)" },
    { classes: 2, minSamplesLeaf: 7, rows: 800, rounding: 4, values: "in quarters (a bin per value)" },
    { classes: 5, minSamplesLeaf: 1, rows: 1500, rounding: 0, values: "continuous (quantile bins)" },
    { classes: 5, minSamplesLeaf: 3, rows: 800, rounding: 2, values: "in halves (a bin per value)" },
  ])("$classes classes, minSamplesLeaf $minSamplesLeaf, values $values", ({ classes, minSamplesLeaf, rows, rounding }) => {
    const { X, y } = makeClassification(rows, 4, classes, 17, 1);
    if (rounding) for (let i = 0; i < X.data.length; i++) X.data[i] = Math.round(X.data[i] * rounding) / rounding;
    const binned = binFeatures(X);
    const labels = Int32Array.from(y);
    const grower = new TreeGrower({ binned, labels, layout: histogramLayout(binned, classes) }, { maxDepth: 6, minSamplesLeaf, featuresPerSplit: 4 });
    const rng = new Rng(9);
    const counts = bootstrapCounts(rows, rng);
    const tree = grower.grow(weightedSample(counts), rng);
    const reached = (node: number): number[] => rowsReaching(tree, X, node);
    let internalNodes = 0;
    for (let node = 0; node < tree.feature.length; node++) {
      const nodeRows = reached(node).filter((r) => counts[r] > 0);
      const weights = classWeights(nodeRows, y, counts, classes);
      if (tree.feature[node] === -1) {
        expect(Array.from(tree.leafCounts.subarray(tree.child[node] * classes, (tree.child[node] + 1) * classes))).toEqual(weights);
        continue;
      }
      internalNodes++;
      const best = bruteForceBestScore(X, y, counts, classes, nodeRows, binned.edges, minSamplesLeaf);
      const chosen = splitScore(X, y, counts, classes, nodeRows, tree.feature[node], tree.threshold[node]);
      expect(chosen).toBe(best);
      expect(Math.min(...[tree.child[node], tree.child[node] + 1].map((c) => weightOf(reached(c), counts)))).toBeGreaterThanOrEqual(minSamplesLeaf);
    }
    expect(internalNodes).toBeGreaterThan(10);
  });
});

function rowsReaching(tree: Tree, X: Matrix, target: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < X.rows; r++) {
    let node = 0;
    while (node !== target && tree.feature[node] !== -1 && node < target) {
      node = X.data[r * X.cols + tree.feature[node]] <= tree.threshold[node] ? tree.child[node] : tree.child[node] + 1;
    }
    if (node === target) out.push(r);
  }
  return out;
}

function weightOf(rows: number[], counts: Int32Array): number {
  return rows.reduce((sum, r) => sum + counts[r], 0);
}

function classWeights(rows: number[], y: Float64Array, counts: Int32Array, classes: number): number[] {
  const weights = new Array<number>(classes).fill(0);
  for (const r of rows) weights[y[r]] += counts[r];
  return weights;
}

/** Σ L_c²/L + Σ R_c²/R for splitting `rows` at x[feature] ≤ threshold, or -Infinity if a side is empty. */
function splitScore(X: Matrix, y: Float64Array, counts: Int32Array, classes: number, rows: number[], feature: number, threshold: number, minLeaf = 1): number {
  const left = rows.filter((r) => X.data[r * X.cols + feature] <= threshold);
  const right = rows.filter((r) => X.data[r * X.cols + feature] > threshold);
  const sides = [left, right].map((side) => classWeights(side, y, counts, classes));
  const totals = sides.map((w) => w.reduce((a, b) => a + b, 0));
  if (Math.min(...totals) < minLeaf) return -Infinity;
  return sides.reduce((score, w, s) => score + w.reduce((a, b) => a + b * b, 0) / totals[s], 0);
}

function bruteForceBestScore(
  X: Matrix,
  y: Float64Array,
  counts: Int32Array,
  classes: number,
  rows: number[],
  edges: readonly Float64Array[],
  minLeaf: number,
): number {
  let best = -Infinity;
  for (let f = 0; f < X.cols; f++) {
    for (const threshold of edges[f]) best = Math.max(best, splitScore(X, y, counts, classes, rows, f, threshold, minLeaf));
  }
  return best;
}

describe("tree growth edge cases", () => {
  it("makes a single leaf of a pure sample, and of one row", () => {
    const X = createMatrix(5, 2);
    X.data.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const binned = binFeatures(X);
    const grower = new TreeGrower(
      { binned, labels: new Int32Array(5).fill(1), layout: histogramLayout(binned, 3) },
      { maxDepth: 10, minSamplesLeaf: 1, featuresPerSplit: 2 },
    );
    const pure = grower.grow({ rows: Uint32Array.from([0, 1, 2, 3, 4]), weights: new Int32Array(5).fill(1) }, new Rng(1));
    expect(Array.from(pure.feature)).toEqual([-1]);
    expect(Array.from(pure.leafCounts)).toEqual([0, 5, 0]);
    const single = grower.grow({ rows: Uint32Array.from([3]), weights: Int32Array.from([4]) }, new Rng(1));
    expect(Array.from(single.leafCounts)).toEqual([0, 4, 0]);
  });
});
