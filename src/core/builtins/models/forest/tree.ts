/**
 * A trained decision tree as flat arrays, node 0 the root. An internal node sends a row left when
 * `x[feature[i]] <= threshold[i]`, to node `child[i]`, and right otherwise, to `child[i] + 1`.
 * A leaf has feature -1 and `child[i]` is its leaf number: `leafCounts[leaf * classes + c]` is the
 * bootstrap weight of class c among the training rows that reached it.
 *
 * Children always come after their parent (child[i] > i), which makes every walk from the root
 * end at a leaf; loading checks it.
 */
export interface Tree {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly child: Int32Array;
  readonly leafCounts: Float64Array;
}

/** Feature value of leaves, which have no split. */
export const LEAF = -1;

/** A tree with the class distribution of each leaf, which is what prediction averages. */
export interface ScoredTree {
  readonly tree: Tree;
  /** `leafProbabilities[leaf * classes + c]`: leafCounts normalised per leaf. */
  readonly leafProbabilities: Float64Array;
}

/**
 * Normalises the leaf counts. Training and loading both call this on the same counts, so a loaded
 * forest predicts with bit-identical probabilities.
 */
export function scoreTree(tree: Tree, classes: number): ScoredTree {
  const counts = tree.leafCounts;
  const leafProbabilities = new Float64Array(counts.length);
  for (let at = 0; at < counts.length; at += classes) {
    let total = 0;
    for (let c = 0; c < classes; c++) total += counts[at + c];
    for (let c = 0; c < classes; c++) leafProbabilities[at + c] = counts[at + c] / total;
  }
  return { tree, leafProbabilities };
}

/** The leaf number that the row starting at `data[offset]` reaches. */
export function leafOf(tree: Tree, data: Float64Array, offset: number): number {
  const { feature, threshold, child } = tree;
  let node = 0;
  while (feature[node] !== LEAF) {
    node = data[offset + feature[node]] <= threshold[node] ? child[node] : child[node] + 1;
  }
  return child[node];
}

/**
 * Adds each row's leaf distribution to `sums` (rows × classes). Trees are added one after another
 * to all rows, so every row's sum is taken in the same order (tree 0, 1, …) however it is called.
 */
export function addLeafProbabilities(scored: ScoredTree, data: Float64Array, rows: number, cols: number, classes: number, sums: Float64Array): void {
  const { tree, leafProbabilities } = scored;
  for (let r = 0; r < rows; r++) {
    const from = leafOf(tree, data, r * cols) * classes;
    const to = r * classes;
    for (let c = 0; c < classes; c++) sums[to + c] += leafProbabilities[from + c];
  }
}
