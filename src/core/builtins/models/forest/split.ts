import type { Rng } from "../../../util/random";
import type { HistogramLayout } from "./histogram";

/**
 * The best split of a node found so far: rows whose bin of `feature` is ≤ `bin` go left. `score`
 * is CART's Gini proxy Σ_c L_c²/L + Σ_c R_c²/R (class weights on each side), which is largest
 * where the weighted Gini impurity of the children is smallest.
 */
export class SplitChoice {
  feature = -1;
  bin = -1;
  score = -Infinity;

  reset(): void {
    this.feature = -1;
    this.bin = -1;
    this.score = -Infinity;
  }
}

/** What a node's split search needs besides its histogram; one per tree, reused across nodes. */
export interface SplitSearch {
  readonly layout: HistogramLayout;
  readonly minSamplesLeaf: number;
  /** How many non-constant features to examine per node (maxFeatures as a count). */
  readonly featuresPerSplit: number;
  readonly rng: Rng;
  /** The features in the order drawn so far (a permutation, partially reshuffled per node). */
  readonly featureOrder: Int32Array;
  /** Scratch: left-side class weights during a scan. */
  readonly leftWeights: Float64Array;
  /** Scratch: the classes the node has rows of, first `presentCount` entries. */
  readonly presentClasses: Int32Array;
}

export function createSplitSearch(layout: HistogramLayout, minSamplesLeaf: number, featuresPerSplit: number, rng: Rng): SplitSearch {
  const cols = layout.bins.length;
  const featureOrder = new Int32Array(cols);
  for (let f = 0; f < cols; f++) featureOrder[f] = f;
  return {
    layout,
    minSamplesLeaf,
    featuresPerSplit: Math.min(cols, featuresPerSplit),
    rng,
    featureOrder,
    leftWeights: new Float64Array(layout.classes),
    presentClasses: new Int32Array(layout.classes),
  };
}

/** The class weights of the node being split, with what every feature's scan starts from. */
interface NodeClasses {
  readonly weights: Float64Array;
  readonly total: number;
  /** How many classes the node has rows of (listed in search.presentClasses). */
  readonly present: number;
  /** Σ_c weights[c]²: the right side's sum of squares before any bin moves left. */
  readonly squares: number;
}

/**
 * Finds the node's best split into `best` (feature -1 when there is none). Features are drawn
 * without replacement, as scikit-learn does, until `featuresPerSplit` of them were non-constant
 * in the node or none are left: a constant feature costs a draw but not a place in the quota.
 * When every feature is examined the draw is skipped (the order cannot change the result except
 * among exact ties, which then go to the lowest feature index).
 */
export function findBestSplit(
  search: SplitSearch,
  histogram: Int32Array,
  classWeights: Float64Array,
  totalWeight: number,
  best: SplitChoice,
): void {
  best.reset();
  const node = nodeClasses(search, classWeights, totalWeight);
  const { featureOrder, featuresPerSplit, rng } = search;
  const cols = featureOrder.length;
  const drawing = featuresPerSplit < cols;
  let examined = 0;
  for (let i = 0; i < cols && examined < featuresPerSplit; i++) {
    if (drawing) swap(featureOrder, i, i + rng.int(cols - i));
    const feature = featureOrder[i];
    const varies = search.layout.classes === 2 ? scanBinaryFeature(search, histogram, feature, node, best) : scanFeature(search, histogram, feature, node, best);
    if (varies) examined++;
  }
}

/**
 * Lists the classes present in the node: deep nodes hold a few of many classes, and a bin's scan
 * then reads only those.
 */
function nodeClasses(search: SplitSearch, weights: Float64Array, total: number): NodeClasses {
  let present = 0;
  let squares = 0;
  for (let c = 0; c < weights.length; c++) {
    if (weights[c] === 0) continue;
    search.presentClasses[present++] = c;
    squares += weights[c] * weights[c];
  }
  return { weights, total, present, squares };
}

function swap(values: Int32Array, i: number, j: number): void {
  const held = values[i];
  values[i] = values[j];
  values[j] = held;
}

/**
 * Tries every split point of one feature, updating `best`; returns whether the feature takes more
 * than one value (bin) in the node. An empty bin costs one read (its total); a non-empty one moves
 * its class weights from the right side to the left and updates both Σ c² sums incrementally. All
 * sums are whole numbers below 2⁵³, exact in doubles, so scores do not depend on the order of
 * additions.
 *
 * Between two non-empty bins lie empty ones (values the node does not have): every edge in that
 * gap splits the node's rows the same way, and the middle one is kept, as CART puts its threshold
 * half-way between the two values it separates.
 */
function scanFeature(search: SplitSearch, histogram: Int32Array, feature: number, node: NodeClasses, best: SplitChoice): boolean {
  const { stride, offsets, bins } = search.layout;
  const { minSamplesLeaf, leftWeights, presentClasses } = search;
  const { weights, total, present } = node;
  for (let p = 0; p < present; p++) leftWeights[presentClasses[p]] = 0;
  let leftSquares = 0;
  let rightSquares = node.squares;
  let leftWeight = 0;
  let previousBin = -1;
  let nonEmptyBins = 0;
  const featureBins = bins[feature];
  for (let b = 0, at = offsets[feature]; b < featureBins && leftWeight < total; b++, at += stride) {
    const binWeight = histogram[at];
    if (binWeight === 0) continue;
    nonEmptyBins++;
    const rightWeight = total - leftWeight;
    if (previousBin >= 0 && leftWeight >= minSamplesLeaf && rightWeight >= minSamplesLeaf) {
      const score = leftSquares / leftWeight + rightSquares / rightWeight;
      if (score > best.score) {
        best.score = score;
        best.feature = feature;
        best.bin = (previousBin + b - 1) >> 1;
      }
    }
    for (let p = 0; p < present; p++) {
      const c = presentClasses[p];
      const moved = histogram[at + 1 + c];
      const l = leftWeights[c];
      leftSquares += moved * (2 * l + moved);
      rightSquares += moved * (moved - 2 * (weights[c] - l));
      leftWeights[c] = l + moved;
    }
    leftWeight += binWeight;
    previousBin = b;
  }
  return nonEmptyBins > 1;
}

/**
 * scanFeature for two classes, where the left side's weight and its class-1 weight determine all
 * four class weights (and the histogram keeps no bin totals). The sums of squares are the same whole numbers, so the scores, and the
 * chosen split, are exactly those of scanFeature; it is only faster, by about a third of a tree.
 */
function scanBinaryFeature(search: SplitSearch, histogram: Int32Array, feature: number, node: NodeClasses, best: SplitChoice): boolean {
  const { stride, offsets, bins } = search.layout;
  const minSamplesLeaf = search.minSamplesLeaf;
  const total = node.total;
  const totalOnes = node.weights[1];
  let leftWeight = 0;
  let leftOnes = 0;
  let previousBin = -1;
  let nonEmptyBins = 0;
  const featureBins = bins[feature];
  for (let b = 0, at = offsets[feature]; b < featureBins && leftWeight < total; b++, at += stride) {
    const ones = histogram[at + 2];
    const binWeight = histogram[at + 1] + ones;
    if (binWeight === 0) continue;
    nonEmptyBins++;
    const rightWeight = total - leftWeight;
    if (previousBin >= 0 && leftWeight >= minSamplesLeaf && rightWeight >= minSamplesLeaf) {
      const leftZeros = leftWeight - leftOnes;
      const rightOnes = totalOnes - leftOnes;
      const rightZeros = rightWeight - rightOnes;
      const score = (leftZeros * leftZeros + leftOnes * leftOnes) / leftWeight + (rightZeros * rightZeros + rightOnes * rightOnes) / rightWeight;
      if (score > best.score) {
        best.score = score;
        best.feature = feature;
        best.bin = (previousBin + b - 1) >> 1;
      }
    }
    leftOnes += ones;
    leftWeight += binWeight;
    previousBin = b;
  }
  return nonEmptyBins > 1;
}
