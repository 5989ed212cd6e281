import { constructComponent } from "../components/component";
import type { FeatureGenerator, FeatureGeneratorClass } from "../components/featureGenerator";
import type { FitContext, Model, ModelClass, Task } from "../components/model";
import type { RawParams } from "../components/params";
import type { Dataset } from "../data/dataset";
import type { MetricPoint, SearchTrial } from "../store/runRecord";
import type { JsonObject } from "../util/json";
import { Rng } from "../util/random";
import { evaluate, type Evaluation } from "./evaluate";
import { isBetter } from "./metrics";
import { throwIfCancelled, type ProgressListener } from "./progress";
import { candidates, type SearchSettings, type SearchSpace } from "./search";
import { kFolds, trainTestSplit, type Split } from "./split";
import { encodeTarget, type Label } from "./target";

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

export interface FittedPipeline {
  task: Task;
  classes: Label[];
  hyperparameters: RawParams;
  metrics: Record<string, number>;
  /** Learning curves of the final fit: one point per epoch and figure. */
  history: MetricPoint[];
  trials: SearchTrial[];
  model: Model<object>;
  featureGenerator: FeatureGenerator<object>;
  details: JsonObject;
}

/** Seeds for each part of the pipeline, so that adding a trial never shifts another's randomness. */
const STREAM = { split: 1, search: 2, folds: 3, finalFit: 4, trialFit: 5 } as const;

/**
 * retrieve (done by the caller) → seeded train/test split, stratified for classification → search
 * the parameter space with cross-validation on the training part (feature generator refitted on
 * each fold) → fit the feature generator and the best parameters on the whole training part →
 * evaluate on the test part.
 */
export async function runPipeline(dataset: Dataset, spec: PipelineSpec, hooks: PipelineHooks): Promise<FittedPipeline> {
  const task = spec.modelClass.task;
  const target = encodeTarget(dataset.targetColumn, task);
  const root = new Rng(spec.seed);
  hooks.onProgress?.({ phase: "split", message: `Splitting ${dataset.rowCount} rows` });
  const split = trainTestSplit(dataset.rowCount, spec.testFraction, root.fork(STREAM.split), task === "classification" ? target.y : undefined);
  const trainRows = dataset.take(split.train);
  const yTrain = takeLabels(target.y, split.train);
  const problem: Problem = { task, classes: target.classes.length, metric: spec.metric };

  const search = await searchParameters(trainRows, yTrain, spec, problem, hooks);
  throwIfCancelled(hooks.signal);

  hooks.onProgress?.({ phase: "fit", message: `Fitting ${spec.modelName} on ${trainRows.rowCount} rows` });
  const history: MetricPoint[] = [];
  const fitSeed = deriveSeed(spec.seed, STREAM.finalFit);
  const fitted = await fitOnce(trainRows, yTrain, spec, search.best, problem, fitSeed, hooks, (epoch, figures) => {
    for (const [name, value] of Object.entries(figures)) history.push({ step: epoch, name, value });
  });

  hooks.onProgress?.({ phase: "evaluate", message: `Evaluating on ${split.test.length} held-out rows` });
  const testRows = dataset.take(split.test);
  const evaluation = await evaluate(fitted.model, fitted.featureGenerator.transform(testRows), takeLabels(target.y, split.test), problem.classes);
  return {
    task,
    classes: target.classes,
    hyperparameters: { ...(fitted.model.params as RawParams), ...fitted.model.effectiveParams?.() },
    metrics: evaluation.metrics,
    history,
    trials: search.trials,
    model: fitted.model,
    featureGenerator: fitted.featureGenerator,
    details: describeRun(dataset, split, target.classes, fitted.featureNames, evaluation),
  };
}

interface Problem {
  task: Task;
  classes: number;
  metric: string;
}

interface SearchOutcome {
  best: RawParams;
  trials: SearchTrial[];
}

async function searchParameters(rows: Dataset, y: Float64Array, spec: PipelineSpec, problem: Problem, hooks: PipelineHooks): Promise<SearchOutcome> {
  const options = candidates(spec.space, spec.search, new Rng(spec.seed).fork(STREAM.search));
  if (options.length === 1) return { best: options[0], trials: [] };
  const folds = validationFolds(rows.rowCount, spec, problem, y);
  const trials: SearchTrial[] = [];
  let best: SearchTrial | undefined;
  for (const [index, params] of options.entries()) {
    const trial = await scoreTrial(rows, y, spec, problem, params, index, options.length, folds, hooks);
    trials.push(trial);
    if (!best || isBetter(problem.metric, trial.score, best.score)) best = trial;
  }
  hooks.log?.(`Best of ${trials.length} trials: ${JSON.stringify(best?.params)} (${problem.metric} ${best?.score})`);
  return { best: (best as SearchTrial).params as RawParams, trials };
}

/** k-fold cross-validation, or one 80/20 holdout of the training part when cv is 0. */
function validationFolds(rows: number, spec: PipelineSpec, problem: Problem, y: Float64Array): Split[] {
  const rng = new Rng(spec.seed).fork(STREAM.folds);
  const labels = problem.task === "classification" ? y : undefined;
  return spec.search.cv >= 2 ? kFolds(rows, spec.search.cv, rng, labels) : [trainTestSplit(rows, 0.2, rng, labels)];
}

async function scoreTrial(
  rows: Dataset,
  y: Float64Array,
  spec: PipelineSpec,
  problem: Problem,
  params: RawParams,
  index: number,
  total: number,
  folds: Split[],
  hooks: PipelineHooks,
): Promise<SearchTrial> {
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

interface FittedOnce {
  model: Model<object>;
  featureGenerator: FeatureGenerator<object>;
  featureNames: readonly string[];
}

async function fitOnce(
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

function takeLabels(y: Float64Array, indices: Uint32Array): Float64Array {
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

function describeRun(dataset: Dataset, split: Split, classes: Label[], featureNames: readonly string[], evaluation: Evaluation): JsonObject {
  return {
    rows: dataset.rowCount,
    train_rows: split.train.length,
    test_rows: split.test.length,
    target: dataset.target,
    columns: dataset.columns.map((c) => c.name),
    classes,
    feature_names: [...featureNames],
    ...(evaluation.averaging ? { averaging: evaluation.averaging } : {}),
  };
}
