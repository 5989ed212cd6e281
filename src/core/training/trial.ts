import { constructComponent } from "../components/component";
import type { FeatureGenerator, FeatureGeneratorClass } from "../components/featureGenerator";
import type { FitContext, Model, ModelClass, Task } from "../components/model";
import type { RawParams } from "../components/params";
import type { Dataset } from "../data/dataset";
import type { SearchTrial } from "../store/runRecord";
import type { JsonObject } from "../util/json";
import { Rng } from "../util/random";
import { evaluate } from "./evaluate";
import { throwIfCancelled, type ProgressListener } from "./progress";
import type { SearchSettings, SearchSpace } from "./search";
import { kFolds, trainTestSplit, type Split } from "./split";
import { encodeTarget, type Label } from "./target";

/**
 * One search trial and what it needs, shared by the in-process search and the trial process of a
 * distributed worker: both derive the split, the folds and every seed from the run's seed alone,
 * and score a trial with this very function, so their scores are bit-identical.
 */

/** Everything that decides a training's result, so a reproduction can give the same one. */
export interface PipelineSpec {
  modelClass: ModelClass;
  /** The registry names, which messages and progress show. */
  modelName: string;
  featureGeneratorName: string;
  space: SearchSpace;
  featureGeneratorClass: FeatureGeneratorClass;
  featureGeneratorParams: RawParams;
  seed: number;
  metric: string;
  search: SearchSettings;
  testFraction: number;
}

export interface PipelineHooks {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface Problem {
  task: Task;
  classes: number;
  metric: string;
}

/** The run's data after the seeded train/test split: what the search and the final fit see. */
export interface PreparedData {
  problem: Problem;
  classes: Label[];
  y: Float64Array;
  split: Split;
  trainRows: Dataset;
  yTrain: Float64Array;
}

/** Seeds for each part of the pipeline, so that adding a trial never shifts another's randomness. */
export const STREAM = { split: 1, search: 2, folds: 3, finalFit: 4, trialFit: 5 } as const;

/** Encodes the target and splits the rows with the run's seed (stratified for classification). */
export function prepareData(dataset: Dataset, spec: PipelineSpec): PreparedData {
  const task = spec.modelClass.task;
  const target = encodeTarget(dataset.targetColumn, task);
  const split = trainTestSplit(dataset.rowCount, spec.testFraction, new Rng(spec.seed).fork(STREAM.split), task === "classification" ? target.y : undefined);
  return {
    problem: { task, classes: target.classes.length, metric: spec.metric },
    classes: target.classes,
    y: target.y,
    split,
    trainRows: dataset.take(split.train),
    yTrain: takeLabels(target.y, split.train),
  };
}

/** k-fold cross-validation, or one 80/20 holdout of the training part when cv is 0. */
export function validationFolds(data: PreparedData, spec: PipelineSpec): Split[] {
  const rng = new Rng(spec.seed).fork(STREAM.folds);
  const labels = data.problem.task === "classification" ? data.yTrain : undefined;
  const rows = data.trainRows.rowCount;
  return spec.search.cv >= 2 ? kFolds(rows, spec.search.cv, rng, labels) : [trainTestSplit(rows, 0.2, rng, labels)];
}

/** Cross-validates one parameter combination: the mean of its fold scores on the run's metric. */
export async function scoreTrial(
  data: PreparedData,
  spec: PipelineSpec,
  params: RawParams,
  index: number,
  total: number,
  folds: Split[],
  hooks: PipelineHooks,
): Promise<SearchTrial> {
  const { trainRows: rows, yTrain: y, problem } = data;
  const scores: number[] = [];
  for (const [f, fold] of folds.entries()) {
    throwIfCancelled(hooks.signal);
    hooks.onProgress?.({ phase: "search", message: `Trial ${index + 1}/${total}, fold ${f + 1}/${folds.length}`, trial: index + 1, trials: total, fold: f + 1, folds: folds.length });
    const seed = deriveSeed(spec.seed, STREAM.trialFit, index, f);
    const fitted = await fitOnce(rows.take(fold.train), takeLabels(y, fold.train), spec, params, problem, seed, hooks);
    try {
      const evaluation = await evaluate(fitted.model, fitted.featureGenerator.transform(rows.take(fold.test)), takeLabels(y, fold.test), problem.classes);
      scores.push(evaluation.metrics[problem.metric] ?? NaN);
    } finally {
      fitted.model.dispose?.();
    }
  }
  const score = scores.reduce((sum, s) => sum + s, 0) / scores.length;
  hooks.onProgress?.({ phase: "search", message: `Trial ${index + 1}/${total}: ${problem.metric} ${score.toFixed(4)}`, trial: index + 1, trials: total, metrics: { [problem.metric]: score } });
  return { trial: index, params: params as JsonObject, score, fold_scores: scores };
}

export interface FittedOnce {
  model: Model<object>;
  featureGenerator: FeatureGenerator<object>;
  featureNames: readonly string[];
}

export async function fitOnce(
  rows: Dataset,
  y: Float64Array,
  spec: PipelineSpec,
  params: RawParams,
  problem: Problem,
  seed: number,
  hooks: PipelineHooks,
  onEpochFigures?: (epoch: number, figures: Record<string, number>) => void,
): Promise<FittedOnce> {
  const featureGenerator = constructComponent(spec.featureGeneratorClass, spec.featureGeneratorParams, spec.featureGeneratorName);
  await featureGenerator.fit(rows);
  const X = featureGenerator.transform(rows);
  const model = constructComponent(spec.modelClass, params, spec.modelName);
  const reportEpoch = throttled((epoch: number, figures: Record<string, number>) =>
    hooks.onProgress?.({ phase: "fit", message: `Epoch ${epoch}`, epoch, metrics: figures }),
  );
  const context: FitContext = {
    task: problem.task,
    classes: problem.task === "classification" ? problem.classes : 0,
    seed,
    rng: new Rng(seed),
    signal: hooks.signal,
    onEpoch: (epoch, figures) => {
      throwIfCancelled(hooks.signal);
      onEpochFigures?.(epoch, figures);
      if (onEpochFigures) reportEpoch(epoch, figures);
    },
    log: (line) => hooks.log?.(line),
  };
  await model.fit(X, y, context);
  return { model, featureGenerator, featureNames: X.names };
}

/** Small data can run a thousand epochs a second: report at most ten times a second. */
function throttled<A extends unknown[]>(report: (...args: A) => void, intervalMs = 100): (...args: A) => void {
  let last = -Infinity;
  return (...args: A) => {
    const now = performance.now();
    if (now - last < intervalMs) return;
    last = now;
    report(...args);
  };
}

export function takeLabels(y: Float64Array, indices: Uint32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = y[indices[i]];
  return out;
}

/** A seed for one (stream, trial, fold) that depends on nothing else. */
export function deriveSeed(seed: number, ...labels: number[]): number {
  let rng = new Rng(seed);
  for (const label of labels) rng = rng.fork(label);
  return rng.seed();
}
