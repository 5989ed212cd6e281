import type { BinnedFeatures } from "./binning";

/**
 * A node's class histogram: for every feature and bin, the summed bootstrap weight of the node's
 * rows in that bin, then the same per class. All features' bins sit in one Int32Array (weights are
 * whole numbers, so sums and differences are exact): feature f's bin b starts at
 * `offsets[f] + b * stride` with the bin's total, followed by its `classes` class weights. The
 * total lets the split search skip a bin the node has no rows in with one read, whatever the
 * number of classes; deep nodes leave most bins empty. With two classes the total is not kept
 * (its slot stays 0): adding the two weights is as cheap, and counting rows does half the writes.
 */
export interface HistogramLayout {
  readonly classes: number;
  /** classes + 1: a bin's total and its class weights. */
  readonly stride: number;
  /** Whether the first slot of a bin holds its total (more than two classes). */
  readonly keepsTotals: boolean;
  /** Start of each feature's block; `offsets[cols]` is the total length. */
  readonly offsets: Int32Array;
  /** Bins per feature (edges + 1). */
  readonly bins: Int32Array;
}

export function histogramLayout(binned: BinnedFeatures, classes: number): HistogramLayout {
  const stride = classes + 1;
  const offsets = new Int32Array(binned.cols + 1);
  const bins = new Int32Array(binned.cols);
  for (let f = 0; f < binned.cols; f++) {
    bins[f] = binned.edges[f].length + 1;
    offsets[f + 1] = offsets[f] + bins[f] * stride;
  }
  return { classes, stride, keepsTotals: classes > 2, offsets, bins };
}

/** The rows of a tree's sample: `rows[i]` drawn `weights[i]` times (its bootstrap count). */
export interface WeightedRows {
  readonly rows: Uint32Array;
  readonly weights: Int32Array;
}

/** The binned training data every tree of a forest grows on, with its histogram layout. */
export interface TrainingSet {
  readonly binned: BinnedFeatures;
  readonly labels: Int32Array;
  readonly layout: HistogramLayout;
}

/**
 * Adds the rows `sample[start … end)` to `histogram`. This loop is most of the training time: it
 * runs once per sampled row and feature for every level of every tree, so it reads everything from
 * flat typed arrays and allocates nothing.
 */
export function addRows(histogram: Int32Array, source: TrainingSet, sample: WeightedRows, start: number, end: number): void {
  const { codes, cols } = source.binned;
  const { offsets, stride, keepsTotals } = source.layout;
  const labels = source.labels;
  const { rows, weights } = sample;
  for (let i = start; i < end; i++) {
    const row = rows[i];
    const weight = weights[i];
    const classSlot = 1 + labels[row];
    const base = row * cols;
    if (keepsTotals) {
      for (let f = 0; f < cols; f++) {
        const at = offsets[f] + codes[base + f] * stride;
        histogram[at] += weight;
        histogram[at + classSlot] += weight;
      }
    } else {
      for (let f = 0; f < cols; f++) histogram[offsets[f] + codes[base + f] * stride + classSlot] += weight;
    }
  }
}

/**
 * Zeroes a histogram that holds exactly the rows `sample[start … end)` (any histogram of a node
 * does, whether counted or derived by subtraction): entry by entry when the rows touch fewer
 * entries than the buffer has, as in deep nodes, and with one fill otherwise.
 */
export function clearRows(histogram: Int32Array, source: TrainingSet, sample: WeightedRows, start: number, end: number): void {
  const { codes, cols } = source.binned;
  if ((end - start) * cols * 2 >= histogram.length) {
    histogram.fill(0);
    return;
  }
  const { offsets, stride } = source.layout;
  const { rows } = sample;
  const labels = source.labels;
  for (let i = start; i < end; i++) {
    const row = rows[i];
    const classSlot = 1 + labels[row];
    const base = row * cols;
    for (let f = 0; f < cols; f++) {
      const at = offsets[f] + codes[base + f] * stride;
      histogram[at] = 0;
      histogram[at + classSlot] = 0;
    }
  }
}

/**
 * Turns a parent's histogram into its larger child's, given the smaller child's: counts add up,
 * so one subtraction over the histogram replaces a pass over the larger child's rows.
 */
export function subtractInPlace(parent: Int32Array, smallerChild: Int32Array): void {
  for (let i = 0; i < parent.length; i++) parent[i] -= smallerChild[i];
}

/**
 * Reuses zeroed histogram buffers: a tree needs only a few at a time (about two per level of the
 * path being grown), and a fresh one per node would make zeroing memory most of the work.
 */
export class HistogramPool {
  private readonly free: Int32Array[] = [];

  constructor(private readonly source: TrainingSet) {}

  /** A zeroed buffer. */
  acquire(): Int32Array {
    return this.free.pop() ?? new Int32Array(this.source.layout.offsets[this.source.binned.cols]);
  }

  /** Takes back the histogram of the node whose rows are `sample[start … end)`. */
  release(histogram: Int32Array, sample: WeightedRows, start: number, end: number): void {
    clearRows(histogram, this.source, sample, start, end);
    this.free.push(histogram);
  }
}
