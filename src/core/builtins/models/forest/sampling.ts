import type { Rng } from "../../../util/random";
import type { WeightedRows } from "./histogram";

/**
 * How many times each of `rows` rows is drawn into a bootstrap sample of `rows` draws with
 * replacement. One 32-bit draw per row, scaled (its bias, below rows/2³², does not matter here);
 * the product stays below rows · 2³², so the index is always below `rows`.
 */
export function bootstrapCounts(rows: number, rng: Rng): Int32Array {
  const counts = new Int32Array(rows);
  for (let i = 0; i < rows; i++) counts[Math.floor((rng.nextUint32() * rows) / 4294967296)]++;
  return counts;
}

/**
 * The drawn rows once each, weighted by their count: about 63% of the rows, so every pass over a
 * node's rows is that much shorter than over the draws themselves, with the same class counts.
 */
export function weightedSample(counts: Int32Array): WeightedRows {
  let drawn = 0;
  for (let r = 0; r < counts.length; r++) if (counts[r] > 0) drawn++;
  const rows = new Uint32Array(drawn);
  const weights = new Int32Array(drawn);
  for (let r = 0, i = 0; r < counts.length; r++) {
    if (counts[r] === 0) continue;
    rows[i] = r;
    weights[i++] = counts[r];
  }
  return { rows, weights };
}

/** Every row once (no bootstrap). A fresh copy per tree: growing a tree reorders it. */
export function everyRow(rows: number): WeightedRows {
  const sample = { rows: new Uint32Array(rows), weights: new Int32Array(rows).fill(1) };
  for (let r = 0; r < rows; r++) sample.rows[r] = r;
  return sample;
}
