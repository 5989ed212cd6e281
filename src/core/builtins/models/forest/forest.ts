import type { FitContext } from "../../../components/model";
import type { Matrix } from "../../../data/matrix";
import { throwIfCancelled, yieldToEventLoop } from "../shared/cancellation";
import { probabilityMatrix } from "../shared/probabilities";
import { binFeatures } from "./binning";
import { TreeGrower } from "./growTree";
import { histogramLayout } from "./histogram";
import { OutOfBagScore } from "./outOfBag";
import { bootstrapCounts, everyRow, weightedSample } from "./sampling";
import { addLeafProbabilities, scoreTree, type ScoredTree } from "./tree";

export interface ForestOptions {
  readonly trees: number;
  readonly maxDepth: number;
  /** Fraction of the columns examined per split, in (0, 1]. */
  readonly maxFeatures: number;
  readonly minSamplesLeaf: number;
  readonly bootstrap: boolean;
}

export interface Forest {
  readonly classes: number;
  readonly cols: number;
  readonly trees: readonly ScoredTree[];
}

/** Label of the forest's stream of the run's generator; each tree forks its own from it. */
const FOREST_STREAM = 0x5eed;
/** Progress (and out-of-bag accuracy) is reported this many times per fit, not after every tree. */
const REPORTS = 10;

/**
 * Trains a random forest: the features are binned once, then each tree grows on its own bootstrap
 * sample (or all rows) with its own generator, forked from the run's in tree order, so that tree
 * t does not depend on how many draws the trees before it made. Between trees it checks for cancellation and lets the event
 * loop run, so that a cancel request sent to the training process gets through.
 */
export async function trainForest(X: Matrix, y: Float64Array, classes: number, options: ForestOptions, context: FitContext): Promise<Forest> {
  const binned = binFeatures(X);
  const labels = Int32Array.from(y);
  const grower = new TreeGrower(
    { binned, labels, layout: histogramLayout(binned, classes) },
    { maxDepth: options.maxDepth, minSamplesLeaf: options.minSamplesLeaf, featuresPerSplit: featuresPerSplit(X.cols, options.maxFeatures) },
  );
  const outOfBag = options.bootstrap ? new OutOfBagScore(X, y, classes) : undefined;
  const streams = context.rng.fork(FOREST_STREAM);
  const trees: ScoredTree[] = [];
  for (let t = 1; t <= options.trees; t++) {
    throwIfCancelled(context.signal);
    const rng = streams.fork(t);
    const counts = options.bootstrap ? bootstrapCounts(X.rows, rng) : undefined;
    const tree = scoreTree(grower.grow(counts ? weightedSample(counts) : everyRow(X.rows), rng), classes);
    trees.push(tree);
    if (outOfBag && counts) outOfBag.add(tree, counts);
    if (isReportPoint(t, options.trees)) context.onEpoch(t, progressFigures(outOfBag));
    await yieldToEventLoop();
  }
  throwIfCancelled(context.signal);
  return { classes, cols: X.cols, trees };
}

/** floor(cols · fraction) columns per split, at least one. */
function featuresPerSplit(cols: number, fraction: number): number {
  return Math.max(1, Math.floor(cols * fraction));
}

/** After trees ⌈i·total/REPORTS⌉ for i = 1 … REPORTS: every tree when there are at most REPORTS. */
function isReportPoint(treesDone: number, total: number): boolean {
  return Math.floor((treesDone * REPORTS) / total) > Math.floor(((treesDone - 1) * REPORTS) / total);
}

function progressFigures(outOfBag: OutOfBagScore | undefined): Record<string, number> {
  const accuracy = outOfBag?.accuracy();
  return accuracy === undefined ? {} : { oob_accuracy: accuracy };
}

/** The mean over trees of the class distribution in the leaf each row reaches. */
export function predictForest(forest: Forest, X: Matrix): Matrix {
  const proba = probabilityMatrix(X.rows, forest.classes);
  for (const tree of forest.trees) addLeafProbabilities(tree, X.data, X.rows, X.cols, forest.classes, proba.data);
  const trees = forest.trees.length;
  for (let i = 0; i < proba.data.length; i++) proba.data[i] /= trees;
  return proba;
}
