import type { Task } from "../components/model";
import type { Matrix } from "../data/matrix";
import { MlexpError } from "../util/errors";
import { didYouMean } from "../util/suggest";

export type Direction = "max" | "min";

interface MetricInfo {
  task: Task;
  direction: Direction;
  /** Needs class probabilities, so it is skipped for classifiers without predictProba. */
  needsProbabilities?: boolean;
}

export const METRICS: Readonly<Record<string, MetricInfo>> = {
  accuracy: { task: "classification", direction: "max" },
  precision: { task: "classification", direction: "max" },
  recall: { task: "classification", direction: "max" },
  f1: { task: "classification", direction: "max" },
  roc_auc: { task: "classification", direction: "max", needsProbabilities: true },
  log_loss: { task: "classification", direction: "min", needsProbabilities: true },
  rmse: { task: "regression", direction: "min" },
  mae: { task: "regression", direction: "min" },
  r2: { task: "regression", direction: "max" },
};

export const DEFAULT_METRIC: Record<Task, string> = { classification: "accuracy", regression: "rmse" };

/**
 * Which way is better for a metric. Unknown names (custom metrics, per-epoch figures) default to
 * "higher is better" unless they look like a loss or an error.
 */
export function metricDirection(name: string): Direction {
  const known = METRICS[name];
  if (known) return known.direction;
  return /loss|error|rmse|mae|mse/i.test(name) ? "min" : "max";
}

/** `a` is better than `b` for this metric (NaN is never better). */
export function isBetter(name: string, a: number, b: number): boolean {
  if (Number.isNaN(a)) return false;
  if (Number.isNaN(b)) return true;
  return metricDirection(name) === "max" ? a > b : a < b;
}

/** Checks that `name` is a metric of `task`, with a did-you-mean on a typo. */
export function checkMetric(name: string, task: Task, hasProbabilities: boolean): void {
  const names = Object.keys(METRICS).filter((m) => METRICS[m].task === task);
  if (!names.includes(name)) {
    throw new MlexpError(
      `Unknown ${task} metric "${name}".${didYouMean(name, names)}`,
      "invalid_argument",
      `Choose one of: ${names.join(", ")}.`,
    );
  }
  if (METRICS[name].needsProbabilities && !hasProbabilities) {
    throw new MlexpError(
      `The metric "${name}" needs class probabilities, and this model has no predictProba.`,
      "invalid_argument",
      "Choose accuracy, precision, recall or f1.",
    );
  }
}

/** How precision, recall, f1 and roc_auc were averaged, recorded with the run. */
export type Averaging = "binary" | "macro";

export function averagingFor(classes: number): Averaging {
  return classes === 2 ? "binary" : "macro";
}

/**
 * Classification metrics. Two classes: precision, recall and f1 of the positive class (the second
 * label in sorted order). More classes: their unweighted mean over classes (macro), and roc_auc is
 * the macro mean of one-vs-rest AUCs.
 */
export function classificationMetrics(
  yTrue: Float64Array,
  predicted: Float64Array,
  classes: number,
  probabilities?: Matrix,
): Record<string, number> {
  const confusion = confusionMatrix(yTrue, predicted, classes);
  const perClass = Array.from({ length: classes }, (_, k) => precisionRecall(confusion, k, classes));
  const considered = classes === 2 ? [perClass[1]] : perClass;
  const mean = (pick: (pr: PrecisionRecall) => number): number =>
    considered.reduce((sum, pr) => sum + pick(pr), 0) / considered.length;
  const out: Record<string, number> = {
    accuracy: accuracy(yTrue, predicted),
    precision: mean((pr) => pr.precision),
    recall: mean((pr) => pr.recall),
    f1: mean((pr) => pr.f1),
  };
  if (probabilities) {
    out.roc_auc = rocAuc(yTrue, probabilities, classes);
    out.log_loss = logLoss(yTrue, probabilities);
  }
  return out;
}

export function regressionMetrics(yTrue: Float64Array, predicted: Float64Array): Record<string, number> {
  const n = yTrue.length;
  let squared = 0;
  let absolute = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i];
  mean /= n;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const error = yTrue[i] - predicted[i];
    squared += error * error;
    absolute += Math.abs(error);
    total += (yTrue[i] - mean) ** 2;
  }
  return {
    rmse: Math.sqrt(squared / n),
    mae: absolute / n,
    r2: total === 0 ? (squared === 0 ? 1 : 0) : 1 - squared / total,
  };
}

export function accuracy(yTrue: Float64Array, predicted: Float64Array): number {
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === predicted[i]) correct++;
  return correct / yTrue.length;
}

function confusionMatrix(yTrue: Float64Array, predicted: Float64Array, classes: number): Float64Array {
  const counts = new Float64Array(classes * classes);
  for (let i = 0; i < yTrue.length; i++) counts[yTrue[i] * classes + predicted[i]]++;
  return counts;
}

interface PrecisionRecall {
  precision: number;
  recall: number;
  f1: number;
}

/** scikit-learn's convention: a ratio with a zero denominator counts as 0. */
function precisionRecall(confusion: Float64Array, k: number, classes: number): PrecisionRecall {
  let predictedK = 0;
  let actualK = 0;
  for (let j = 0; j < classes; j++) {
    predictedK += confusion[j * classes + k];
    actualK += confusion[k * classes + j];
  }
  const truePositives = confusion[k * classes + k];
  const precision = predictedK ? truePositives / predictedK : 0;
  const recall = actualK ? truePositives / actualK : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

function rocAuc(yTrue: Float64Array, probabilities: Matrix, classes: number): number {
  if (classes === 2) return binaryAuc(yTrue, probabilities, 1);
  let sum = 0;
  let counted = 0;
  for (let k = 0; k < classes; k++) {
    const auc = binaryAuc(yTrue, probabilities, k);
    if (!Number.isNaN(auc)) {
      sum += auc;
      counted++;
    }
  }
  return counted ? sum / counted : NaN;
}

/** AUC of "class k vs the rest" by the rank-sum formula, with ties given their average rank. */
function binaryAuc(yTrue: Float64Array, probabilities: Matrix, k: number): number {
  const n = yTrue.length;
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) scores[i] = probabilities.data[i * probabilities.cols + k];
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1]] === scores[order[start]]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) {
      if (yTrue[order[i]] === k) {
        positives++;
        rankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = n - positives;
  if (!positives || !negatives) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean negative log-likelihood, probabilities clipped like scikit-learn's to avoid log(0). */
export function logLoss(yTrue: Float64Array, probabilities: Matrix): number {
  const eps = 1e-15;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const p = probabilities.data[i * probabilities.cols + yTrue[i]];
    total -= Math.log(Math.min(1 - eps, Math.max(eps, p)));
  }
  return total / yTrue.length;
}
