import type { Matrix } from "../../../data/matrix";
import { ColumnSorter } from "./argsort";

/** At most this many bins per feature, so that a bin index fits in a byte. */
export const MAX_BINS = 256;

/**
 * The training matrix with every value replaced by the index of its bin. Trees are grown on bins
 * (class counts per bin make a node's best split an O(rows + bins) search instead of a sort), but
 * store the raw-value thresholds below, so prediction never needs to bin.
 */
export interface BinnedFeatures {
  readonly rows: number;
  readonly cols: number;
  /**
   * Row-major bin indices, `codes[row * cols + feature]`. Row-major because growing a node visits
   * its rows in an arbitrary order and reads every feature of each row.
   */
  readonly codes: Uint8Array;
  /**
   * Per feature, the strictly increasing bin edges: value x falls in bin b when
   * edges[b-1] < x ≤ edges[b] (bin 0 has no lower edge, the last bin no upper edge), so
   * "bin ≤ b" and "x ≤ edges[b]" pick the same rows. A feature has edges.length + 1 bins.
   */
  readonly edges: readonly Float64Array[];
}

export function binFeatures(X: Matrix, maxBins = MAX_BINS): BinnedFeatures {
  const { rows, cols } = X;
  const codes = new Uint8Array(rows * cols);
  const edges: Float64Array[] = [];
  const column = new Float64Array(rows);
  const sorted = new Float64Array(rows);
  const sorter = new ColumnSorter(rows);
  for (let f = 0; f < cols; f++) {
    for (let r = 0; r < rows; r++) column[r] = X.data[r * cols + f];
    const order = sorter.argsort(column);
    for (let i = 0; i < rows; i++) sorted[i] = column[order[i]];
    const featureEdges = binEdges(sorted, maxBins);
    // Walking the values in ascending order, each row's bin is the first edge at or above it.
    for (let i = 0, bin = 0; i < rows; i++) {
      while (bin < featureEdges.length && sorted[i] > featureEdges[bin]) bin++;
      codes[order[i] * cols + f] = bin;
    }
    edges.push(featureEdges);
  }
  return { rows, cols, codes, edges };
}

/** The bin of `value`: the first edge at or above it (binary search), or the last bin. For tests and one-off look-ups. */
export function binOf(edges: Float64Array, value: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (value <= edges[middle]) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * Bin edges for one feature from its sorted values. Up to `maxBins` distinct values each get a
 * bin of their own, so a tree can split between any two of them as exact CART would. With more,
 * the bins hold about equally many rows (quantiles); a run of equal values is never cut, and the
 * share of each later bin is recomputed from what is left, so a heavy value does not use up bins.
 */
export function binEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const distinct = countDistinct(sorted);
  if (distinct <= 1) return new Float64Array(0);
  const edges: number[] = [];
  const n = sorted.length;
  let binStart = 0;
  let binsLeft = Math.min(maxBins, distinct);
  for (let runStart = 0; runStart < n && binsLeft > 1; ) {
    let runEnd = runStart + 1;
    while (runEnd < n && sorted[runEnd] === sorted[runStart]) runEnd++;
    if (runEnd === n) break;
    const share = (n - binStart) / binsLeft;
    if (distinct <= maxBins || runEnd - binStart >= share) {
      edges.push(edgeBetween(sorted[runStart], sorted[runEnd]));
      binStart = runEnd;
      binsLeft--;
    }
    runStart = runEnd;
  }
  return Float64Array.from(edges);
}

function countDistinct(sorted: Float64Array): number {
  let distinct = sorted.length ? 1 : 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  return distinct;
}

/**
 * An edge between two neighbouring distinct values a < b: their midpoint, as CART places its
 * thresholds (unseen values in the gap go to the nearer side). Halving each first cannot
 * overflow; when the midpoint rounds up to b (adjacent doubles), a itself still separates them.
 */
function edgeBetween(a: number, b: number): number {
  const middle = a / 2 + b / 2;
  return middle >= a && middle < b ? middle : a;
}
