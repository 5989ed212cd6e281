import type { FeatureGenerator } from "../components/featureGenerator";
import type { Model, Task } from "../components/model";
import type { RawParams } from "../components/params";
import type { Dataset } from "../data/dataset";
import type { MetricPoint, SearchTrial } from "../store/runRecord";
import { MlexpError } from "../util/errors";
import type { JsonObject } from "../util/json";
import { Rng } from "../util/random";
import { evaluate, type Evaluation } from "./evaluate";
import { isBetter } from "./metrics";
import { throwIfCancelled } from "./progress";
import { candidates } from "./search";
import type { Split } from "./split";
import type { Label } from "./target";
import {
  deriveSeed,
  fitOnce,
  prepareData,
  scoreTrial,
  STREAM,
  takeLabels,
  validationFolds,
  type PipelineHooks as TrialHooks,
  type PipelineSpec,
  type PreparedData,
} from "./trial";

export { deriveSeed, type PipelineSpec };

/**
 * Scores every candidate of a search and returns one trial per candidate, in any order. The default
 * scores them one after another in this process; a distributed search puts them on a queue.
 * Failed trials (status "failed") are returned too: the best is chosen among the others.
 */
export type TrialRunner = (candidates: RawParams[], search: InProcessSearch) => Promise<SearchTrial[]>;

/** What the in-process search needs, handed to a runner that may fall back to it. */
export interface InProcessSearch {
  runAll(): Promise<SearchTrial[]>;
}

export interface PipelineHooks extends TrialHooks {
  /** Scores the search's candidates (default: in this process, one after another). */
  runTrials?: TrialRunner;
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

/**
 * retrieve (done by the caller) → seeded train/test split, stratified for classification → search
 * the parameter space with cross-validation on the training part (feature generator refitted on
 * each fold) → fit the feature generator and the best parameters on the whole training part →
 * evaluate on the test part.
 */
export async function runPipeline(dataset: Dataset, spec: PipelineSpec, hooks: PipelineHooks): Promise<FittedPipeline> {
  hooks.onProgress?.({ phase: "split", message: `Splitting ${dataset.rowCount} rows` });
  const data = prepareData(dataset, spec);
  const { problem, trainRows, yTrain, split } = data;

  const search = await searchParameters(data, spec, hooks);
  throwIfCancelled(hooks.signal);

  hooks.onProgress?.({ phase: "fit", message: `Fitting ${spec.modelName} on ${trainRows.rowCount} rows` });
  const history: MetricPoint[] = [];
  const fitSeed = deriveSeed(spec.seed, STREAM.finalFit);
  const fitted = await fitOnce(trainRows, yTrain, spec, search.best, problem, fitSeed, hooks, (epoch, figures) => {
    for (const [name, value] of Object.entries(figures)) history.push({ step: epoch, name, value });
  });

  hooks.onProgress?.({ phase: "evaluate", message: `Evaluating on ${split.test.length} held-out rows` });
  const testRows = dataset.take(split.test);
  const evaluation = await evaluate(fitted.model, fitted.featureGenerator.transform(testRows), takeLabels(data.y, split.test), problem.classes);
  return {
    task: problem.task,
    classes: data.classes,
    hyperparameters: { ...(fitted.model.params as RawParams), ...fitted.model.effectiveParams?.() },
    metrics: evaluation.metrics,
    history,
    trials: search.trials,
    model: fitted.model,
    featureGenerator: fitted.featureGenerator,
    details: describeRun(dataset, split, data.classes, fitted.featureNames, evaluation),
  };
}

interface SearchOutcome {
  best: RawParams;
  trials: SearchTrial[];
}

async function searchParameters(data: PreparedData, spec: PipelineSpec, hooks: PipelineHooks): Promise<SearchOutcome> {
  const options = candidates(spec.space, spec.search, new Rng(spec.seed).fork(STREAM.search));
  if (options.length === 1) return { best: options[0], trials: [] };
  const inProcess: InProcessSearch = {
    runAll: async () => {
      const folds = validationFolds(data, spec);
      const trials: SearchTrial[] = [];
      for (const [index, params] of options.entries()) trials.push(await scoreTrial(data, spec, params, index, options.length, folds, hooks));
      return trials;
    },
  };
  const trials = [...(await (hooks.runTrials ?? ((_, search) => search.runAll()))(options, inProcess))].sort((a, b) => a.trial - b.trial);
  const best = bestTrial(trials, data.problem.metric);
  hooks.log?.(`Best of ${trials.length} trials: ${JSON.stringify(best.params)} (${data.problem.metric} ${best.score})`);
  return { best: best.params as RawParams, trials };
}

/** The first trial (in trial order) with the best score; failed trials never win. */
function bestTrial(trials: SearchTrial[], metric: string): SearchTrial {
  let best: SearchTrial | undefined;
  for (const trial of trials) {
    if (trial.status === "failed") continue;
    if (!best || isBetter(metric, trial.score, best.score)) best = trial;
  }
  if (!best) throw new MlexpError(`All ${trials.length} search trials failed.`, "trial_failed", trials[0]?.error ? `The first failed with: ${trials[0].error}` : undefined);
  return best;
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
