import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { FitContext, Task } from "../../../src/core/components/model";
import { createMatrix, type Matrix } from "../../../src/core/data/matrix";
import { Rng } from "../../../src/core/util/random";

export interface Dataset {
  X: Matrix;
  y: Float64Array;
  classes: number;
}

/**
 * Rows drawn from N(0, 1) and labelled by a random linear rule, argmax over classes of x·W plus
 * Gaussian noise (noise 0 gives linearly separable data). Seeded, so every run sees the same rows.
 */
export function makeClassification(rows: number, cols: number, classes: number, seed: number, noise = 0.1): Dataset {
  const rng = new Rng(seed);
  const outputs = classes === 2 ? 1 : classes;
  const W = Array.from({ length: outputs * cols }, () => rng.normal());
  const X = createMatrix(rows, cols);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) X.data[i * cols + j] = rng.normal();
    let best = 0;
    let bestScore = -Infinity;
    for (let o = 0; o < outputs; o++) {
      let score = noise * rng.normal();
      for (let j = 0; j < cols; j++) score += X.data[i * cols + j] * W[o * cols + j];
      if (score > bestScore) {
        bestScore = score;
        best = o;
      }
    }
    y[i] = classes === 2 ? (bestScore > 0 ? 1 : 0) : best;
  }
  return { X, y, classes };
}

/**
 * Gaussian blobs: one random centre per class in [-4, 4]^cols, rows scattered around their class's
 * centre with standard deviation `spread`. Classes are assigned round-robin, so every class occurs.
 */
export function makeBlobs(rows: number, cols: number, classes: number, seed: number, spread = 1): Dataset {
  const rng = new Rng(seed);
  const centres = Array.from({ length: classes * cols }, () => 8 * rng.next() - 4);
  const X = createMatrix(rows, cols);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const label = i % classes;
    y[i] = label;
    for (let j = 0; j < cols; j++) X.data[i * cols + j] = centres[label * cols + j] + spread * rng.normal();
  }
  return { X, y, classes };
}

/**
 * Two classes no straight line separates: points uniform in [-2, 2]², class 1 outside the circle
 * of radius 1.3 (about half the square's area).
 */
export function makeCircles(rows: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const X = createMatrix(rows, 2);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const a = 4 * rng.next() - 2;
    const b = 4 * rng.next() - 2;
    X.data[2 * i] = a;
    X.data[2 * i + 1] = b;
    y[i] = Math.hypot(a, b) > 1.3 ? 1 : 0;
  }
  return { X, y, classes: 2 };
}

/** Splits off the last `testRows` rows as a test set. */
export function splitTail(data: Dataset, testRows: number): { train: Dataset; test: Dataset } {
  const { X, y, classes } = data;
  const cut = X.rows - testRows;
  const part = (from: number, to: number): Dataset => ({
    X: { data: X.data.slice(from * X.cols, to * X.cols), rows: to - from, cols: X.cols, names: X.names },
    y: y.slice(from, to),
    classes,
  });
  return { train: part(0, cut), test: part(cut, X.rows) };
}

export interface RecordingContext extends FitContext {
  readonly epochs: { epoch: number; metrics: Record<string, number> }[];
}

export function makeContext(seed: number, classes: number, options: { signal?: AbortSignal; task?: Task } = {}): RecordingContext {
  const epochs: { epoch: number; metrics: Record<string, number> }[] = [];
  return {
    task: options.task ?? (classes > 0 ? "classification" : "regression"),
    classes,
    seed,
    rng: new Rng(seed),
    signal: options.signal,
    epochs,
    onEpoch: (epoch, metrics) => epochs.push({ epoch, metrics: { ...metrics } }),
    log: () => {},
  };
}

export function accuracy(predicted: Float64Array, truth: Float64Array): number {
  let right = 0;
  for (let i = 0; i < truth.length; i++) if (predicted[i] === truth[i]) right++;
  return right / truth.length;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mlexp-${prefix}-`));
}

/** Exact bit patterns, so that equality checks see the last bit (and -0 vs 0, NaN). */
export function bitsOf(values: Float64Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString("hex");
}
