import type { Rng } from "../../../util/random";
import { addRows, HistogramPool, subtractInPlace, type TrainingSet, type WeightedRows } from "./histogram";
import { createSplitSearch, findBestSplit, SplitChoice } from "./split";
import { LEAF, type Tree } from "./tree";

export interface TreeOptions {
  readonly maxDepth: number;
  /** Smallest bootstrap weight (rows, counted with repeats) a leaf may hold. */
  readonly minSamplesLeaf: number;
  /** Non-constant features examined per split. */
  readonly featuresPerSplit: number;
}

/** A node waiting to be split or made a leaf: its rows are `sample[start … end)`. */
interface PendingNode {
  readonly node: number;
  readonly start: number;
  readonly end: number;
  readonly depth: number;
  readonly classWeights: Float64Array;
  readonly weight: number;
  /** Present only for nodes that may be split; leaves never need one. */
  histogram?: Int32Array;
}

/**
 * Grows CART classification trees (Gini) on histograms, depth first. A node's rows are a range of
 * the sample's row list, partitioned in place when the node splits. Of two children only the
 * smaller one's histogram is counted from its rows; the larger one's is the parent's minus the
 * smaller's, so a level costs at most half a pass over the sample per feature. Near the leaves,
 * where a node has fewer rows than its histogram has entries, counting both beats subtracting.
 */
export class TreeGrower {
  private readonly pool: HistogramPool;
  private readonly histogramLength: number;
  /** Scratch for the stable partition, as long as the longest sample. */
  private readonly spareRows: Uint32Array;
  private readonly spareWeights: Int32Array;

  constructor(
    private readonly data: TrainingSet,
    private readonly options: TreeOptions,
  ) {
    this.pool = new HistogramPool(data);
    this.histogramLength = data.layout.offsets[data.binned.cols];
    this.spareRows = new Uint32Array(data.binned.rows);
    this.spareWeights = new Int32Array(data.binned.rows);
  }

  /** Grows one tree on `sample` (whose row order it changes), drawing split features from `rng`. */
  grow(sample: WeightedRows, rng: Rng): Tree {
    const { layout } = this.data;
    const search = createSplitSearch(layout, this.options.minSamplesLeaf, this.options.featuresPerSplit, rng);
    const builder = new TreeBuilder(this.nodeCapacity(sample.rows.length), layout.classes);
    const root = this.pendingNode(builder.addRoot(), 0, sample.rows.length, 0, this.classWeightsOf(sample));
    if (this.maySplit(root)) root.histogram = this.countedHistogram(sample, root);
    const stack: PendingNode[] = [root];
    const best = new SplitChoice();
    for (let pending = stack.pop(); pending; pending = stack.pop()) {
      const histogram = pending.histogram;
      if (histogram) findBestSplit(search, histogram, pending.classWeights, pending.weight, best);
      if (!histogram || best.feature < 0) {
        if (histogram) this.pool.release(histogram, sample, pending.start, pending.end);
        builder.setLeaf(pending.node, pending.classWeights);
        continue;
      }
      const [left, right] = this.split(pending, histogram, best, sample, builder);
      // Right below left on the stack: the left subtree is grown first.
      stack.push(right, left);
    }
    return builder.finish();
  }

  /** A full binary tree of depth maxDepth, or fewer nodes when there are fewer rows than leaves. */
  private nodeCapacity(rows: number): number {
    return Math.min(2 ** (this.options.maxDepth + 1) - 1, 2 * rows - 1);
  }

  private classWeightsOf(sample: WeightedRows): Float64Array {
    const weights = new Float64Array(this.data.layout.classes);
    for (let i = 0; i < sample.rows.length; i++) weights[this.data.labels[sample.rows[i]]] += sample.weights[i];
    return weights;
  }

  private pendingNode(node: number, start: number, end: number, depth: number, classWeights: Float64Array): PendingNode {
    let weight = 0;
    for (let c = 0; c < classWeights.length; c++) weight += classWeights[c];
    return { node, start, end, depth, classWeights, weight };
  }

  /** Whether a node is worth a split search: below maxDepth, room for two leaves, mixed classes. */
  private maySplit(node: PendingNode): boolean {
    if (node.depth >= this.options.maxDepth || node.weight < 2 * this.options.minSamplesLeaf) return false;
    let classesPresent = 0;
    for (let c = 0; c < node.classWeights.length; c++) if (node.classWeights[c] > 0) classesPresent++;
    return classesPresent > 1;
  }

  private countedHistogram(sample: WeightedRows, node: PendingNode): Int32Array {
    const histogram = this.pool.acquire();
    addRows(histogram, this.data, sample, node.start, node.end);
    return histogram;
  }

  /** Applies `best` to `parent`: partitions its rows, records the split and makes its two children. */
  private split(
    parent: PendingNode,
    histogram: Int32Array,
    best: SplitChoice,
    sample: WeightedRows,
    builder: TreeBuilder,
  ): [PendingNode, PendingNode] {
    const leftWeights = new Float64Array(parent.classWeights.length);
    const middle = this.partition(sample, parent.start, parent.end, best.feature, best.bin, leftWeights);
    const rightWeights = parent.classWeights.map((w, c) => w - leftWeights[c]);
    const first = builder.addChildren();
    builder.setSplit(parent.node, best.feature, this.data.binned.edges[best.feature][best.bin], first);
    const depth = parent.depth + 1;
    const left = this.pendingNode(first, parent.start, middle, depth, leftWeights);
    const right = this.pendingNode(first + 1, middle, parent.end, depth, rightWeights);
    this.giveHistograms(parent, histogram, left, right, sample);
    return [left, right];
  }

  /**
   * Moves the rows with bin ≤ `bin` of `feature` to the front of `sample[start … end)` and returns
   * where the rest begin; adds the moved rows' weights to `leftWeights` by class. Stable: rows stay
   * in ascending order within a node, so the passes over a node's rows read the binned matrix
   * front to back rather than at random.
   */
  private partition(sample: WeightedRows, start: number, end: number, feature: number, bin: number, leftWeights: Float64Array): number {
    const { codes, cols } = this.data.binned;
    const labels = this.data.labels;
    const { rows, weights } = sample;
    const { spareRows, spareWeights } = this;
    let kept = start;
    let moved = 0;
    for (let i = start; i < end; i++) {
      const row = rows[i];
      if (codes[row * cols + feature] <= bin) {
        leftWeights[labels[row]] += weights[i];
        rows[kept] = row;
        weights[kept++] = weights[i];
      } else {
        spareRows[moved] = row;
        spareWeights[moved++] = weights[i];
      }
    }
    rows.set(spareRows.subarray(0, moved), kept);
    weights.set(spareWeights.subarray(0, moved), kept);
    return kept;
  }

  /**
   * Gives each child that may split its histogram. The larger child takes over the parent's buffer
   * minus the smaller child's counts when that costs less than counting its rows; otherwise each
   * child that needs one counts its own. Buffers nobody needs go back to the pool.
   */
  private giveHistograms(parent: PendingNode, parentHistogram: Int32Array, left: PendingNode, right: PendingNode, sample: WeightedRows): void {
    const leftIsSmaller = left.end - left.start <= right.end - right.start;
    const [smaller, larger] = leftIsSmaller ? [left, right] : [right, left];
    const smallerSplits = this.maySplit(smaller);
    const largerSplits = this.maySplit(larger);
    // Counting writes one or two entries per row and feature; subtracting, every entry once.
    const entriesPerRow = (this.data.layout.keepsTotals ? 2 : 1) * this.data.binned.cols;
    const countingCostDifference = (larger.end - larger.start - (smaller.end - smaller.start)) * entriesPerRow;
    if (largerSplits && countingCostDifference > this.histogramLength) {
      const smallerHistogram = this.countedHistogram(sample, smaller);
      subtractInPlace(parentHistogram, smallerHistogram);
      larger.histogram = parentHistogram;
      if (smallerSplits) smaller.histogram = smallerHistogram;
      else this.pool.release(smallerHistogram, sample, smaller.start, smaller.end);
      return;
    }
    this.pool.release(parentHistogram, sample, parent.start, parent.end);
    if (smallerSplits) smaller.histogram = this.countedHistogram(sample, smaller);
    if (largerSplits) larger.histogram = this.countedHistogram(sample, larger);
  }
}

/** Collects a tree's nodes into preallocated typed arrays (the capacity bounds the node count). */
class TreeBuilder {
  private readonly feature: Int32Array;
  private readonly threshold: Float64Array;
  private readonly child: Int32Array;
  private readonly leafCounts: number[] = [];
  private nodes = 0;
  private leaves = 0;

  constructor(
    capacity: number,
    private readonly classes: number,
  ) {
    this.feature = new Int32Array(capacity);
    this.threshold = new Float64Array(capacity);
    this.child = new Int32Array(capacity);
  }

  addRoot(): number {
    return this.nodes++;
  }

  /** Reserves two consecutive nodes and returns the first (the left child). */
  addChildren(): number {
    const first = this.nodes;
    this.nodes += 2;
    return first;
  }

  setSplit(node: number, feature: number, threshold: number, firstChild: number): void {
    this.feature[node] = feature;
    this.threshold[node] = threshold;
    this.child[node] = firstChild;
  }

  setLeaf(node: number, classWeights: Float64Array): void {
    this.feature[node] = LEAF;
    this.threshold[node] = 0;
    this.child[node] = this.leaves++;
    for (let c = 0; c < this.classes; c++) this.leafCounts.push(classWeights[c]);
  }

  finish(): Tree {
    return {
      feature: this.feature.slice(0, this.nodes),
      threshold: this.threshold.slice(0, this.nodes),
      child: this.child.slice(0, this.nodes),
      leafCounts: Float64Array.from(this.leafCounts),
    };
  }
}
