import { MlexpError } from "../util/errors";
import type { Rng } from "../util/random";

export interface Split {
  train: Uint32Array;
  test: Uint32Array;
}

/**
 * A seeded train/test split of row indices. With `labels` it is stratified: each class keeps its
 * share in both parts, so a rare class is never missing from the test part by bad luck.
 */
export function trainTestSplit(rows: number, testFraction: number, rng: Rng, labels?: Float64Array): Split {
  if (rows < 2) {
    throw new MlexpError(`The dataset has ${rows} row(s); at least 2 are needed to split it.`, "invalid_data");
  }
  const groups = labels ? groupByLabel(labels) : [Array.from({ length: rows }, (_, i) => i)];
  const train: number[] = [];
  const test: number[] = [];
  for (const group of groups) {
    rng.shuffle(group);
    const testCount = testCountFor(group.length, testFraction);
    test.push(...group.slice(0, testCount));
    train.push(...group.slice(testCount));
  }
  if (!train.length || !test.length) {
    throw new MlexpError(`The dataset has ${rows} rows: too few to hold out a test part.`, "invalid_data");
  }
  return { train: sortedIndices(train), test: sortedIndices(test) };
}

function testCountFor(size: number, fraction: number): number {
  if (size < 2) return 0;
  return Math.min(size - 1, Math.max(1, Math.round(size * fraction)));
}

/** Row indices per label, labels in ascending order. */
function groupByLabel(labels: Float64Array): number[][] {
  const groups = new Map<number, number[]>();
  labels.forEach((label, i) => {
    let group = groups.get(label);
    if (!group) groups.set(label, (group = []));
    group.push(i);
  });
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, group]) => group);
}

function sortedIndices(indices: number[]): Uint32Array {
  return Uint32Array.from(indices).sort();
}

/**
 * K folds over the positions 0…n-1 of the training part (stratified with `labels`): for each fold,
 * the positions to fit on and the positions to score on.
 */
export function kFolds(n: number, k: number, rng: Rng, labels?: Float64Array): Split[] {
  if (k < 2 || k > n) {
    throw new MlexpError(`Cannot make ${k} cross-validation folds from ${n} training rows.`, "invalid_argument", "Use --cv between 2 and the number of training rows.");
  }
  const assignment = new Int32Array(n);
  const groups = labels ? groupByLabel(labels) : [Array.from({ length: n }, (_, i) => i)];
  let offset = 0;
  for (const group of groups) {
    rng.shuffle(group);
    group.forEach((position, i) => (assignment[position] = (i + offset) % k));
    offset += group.length;
  }
  return Array.from({ length: k }, (_, fold) => {
    const train: number[] = [];
    const test: number[] = [];
    assignment.forEach((f, position) => (f === fold ? test : train).push(position));
    return { train: Uint32Array.from(train), test: Uint32Array.from(test) };
  });
}
