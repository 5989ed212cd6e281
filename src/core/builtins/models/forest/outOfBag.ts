import type { Matrix } from "../../../data/matrix";
import { leafOf, type ScoredTree } from "./tree";

/**
 * Rows the out-of-bag accuracy is measured on, at most: enough for ±0.5% (one standard error),
 * and it keeps the measurement at about 1% of the training time on large data (8% on all of
 * 100k rows).
 */
const MAX_SCORED_ROWS = 10_000;

/**
 * Out-of-bag accuracy: a training row is predicted by the trees whose bootstrap sample left it
 * out (about a third of them), which estimates held-out accuracy without holding data out. It is
 * the learning curve the forest reports while it trains: accuracy against the number of trees.
 * Measured on every k-th training row, k chosen so that at most MAX_SCORED_ROWS are.
 */
export class OutOfBagScore {
  private readonly scoredRows: Uint32Array;
  /** Per scored row and class, the summed leaf distributions of the trees that did not see it. */
  private readonly sums: Float64Array;
  private readonly votes: Int32Array;

  constructor(
    private readonly X: Matrix,
    private readonly y: Float64Array,
    private readonly classes: number,
  ) {
    const step = Math.ceil(X.rows / MAX_SCORED_ROWS);
    this.scoredRows = new Uint32Array(Math.ceil(X.rows / step));
    for (let i = 0; i < this.scoredRows.length; i++) this.scoredRows[i] = i * step;
    this.sums = new Float64Array(this.scoredRows.length * classes);
    this.votes = new Int32Array(this.scoredRows.length);
  }

  /** Adds a tree's predictions for the scored rows its bootstrap `counts` left out. */
  add(scored: ScoredTree, counts: Int32Array): void {
    const { data, cols } = this.X;
    const k = this.classes;
    for (let i = 0; i < this.scoredRows.length; i++) {
      const row = this.scoredRows[i];
      if (counts[row] !== 0) continue;
      const from = leafOf(scored.tree, data, row * cols) * k;
      for (let c = 0; c < k; c++) this.sums[i * k + c] += scored.leafProbabilities[from + c];
      this.votes[i]++;
    }
  }

  /** Accuracy over the scored rows left out by at least one tree so far, or undefined when there are none. */
  accuracy(): number | undefined {
    const k = this.classes;
    let predicted = 0;
    let right = 0;
    for (let i = 0; i < this.votes.length; i++) {
      if (this.votes[i] === 0) continue;
      let best = 0;
      for (let c = 1; c < k; c++) if (this.sums[i * k + c] > this.sums[i * k + best]) best = c;
      predicted++;
      if (best === this.y[this.scoredRows[i]]) right++;
    }
    return predicted ? right / predicted : undefined;
  }
}
