import type { ModelRun, SearchTrial } from "../store/runRecord";
import { metricDirection } from "../training/metrics";
import type { JsonObject, JsonValue } from "../util/json";
import type { ChosenTrial, ParametersDiff, ValueChange } from "./types";

/**
 * The parameters two runs really used: the model's final values (defaults included, a search's
 * pick), the parameters as given, the feature generator's and data access object's resolved values,
 * the seed, the metric, the test fraction and the search settings, and which search trial won.
 */
export function diffParameters(a: ModelRun, b: ModelRun, trials: { a: SearchTrial[]; b: SearchTrial[] } = { a: [], b: [] }): ParametersDiff {
  const components = changes(
    { model: a.model_class, featureGenerator: a.feature_generator_class, dataAccessObject: a.dataset_class },
    { model: b.model_class, featureGenerator: b.feature_generator_class, dataAccessObject: b.dataset_class },
  );
  const settings = changes(settingsOf(a), settingsOf(b));
  const chosenA = chosenTrial(a, trials.a);
  const chosenB = chosenTrial(b, trials.b);
  const chosenDiffers = (chosenA || chosenB) && JSON.stringify(chosenA) !== JSON.stringify(chosenB);
  const diff: ParametersDiff = {
    status: "identical",
    components,
    model: changes(a.hyperparameters, b.hyperparameters),
    modelGiven: changes(a.model_params, b.model_params),
    featureGenerator: changes(a.feature_generator_params, b.feature_generator_params),
    dataset: changes(a.dataset_params, b.dataset_params),
    settings,
    chosenTrial: chosenDiffers ? { a: chosenA, b: chosenB } : null,
  };
  const any = diff.components.length + diff.model.length + diff.modelGiven.length + diff.featureGenerator.length + diff.dataset.length + diff.settings.length;
  return { ...diff, status: any || diff.chosenTrial ? "changed" : "identical" };
}

function settingsOf(run: ModelRun): JsonObject {
  return {
    seed: run.seed,
    metric: run.metric,
    test_fraction: run.test_fraction,
    "search.strategy": run.search?.strategy ?? null,
    "search.trials": run.search?.trials ?? null,
    "search.cv": run.search?.cv ?? null,
  };
}

/** Every key either object has whose values differ (compared as JSON), in sorted order. */
export function changes(a: JsonObject | null | undefined, b: JsonObject | null | undefined): ValueChange[] {
  const left = a ?? {};
  const right = b ?? {};
  const names = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  return names.filter((name) => JSON.stringify(left[name]) !== JSON.stringify(right[name])).map((name) => ({ name, a: left[name], b: right[name] }));
}

/** The search's winner: the best mean score, the first one on ties (as the search picks it). */
export function chosenTrial(run: ModelRun, trials: SearchTrial[]): ChosenTrial | null {
  if (!trials.length) return null;
  const sign = metricDirection(run.metric) === "max" ? 1 : -1;
  let best: SearchTrial | undefined;
  for (const trial of trials) {
    if (!Number.isFinite(trial.score)) continue;
    if (!best || sign * (trial.score - best.score) > 0) best = trial;
  }
  return best ? { trial: best.trial, of: trials.length, score: best.score } : null;
}

export function formatValue(value: JsonValue | undefined): string {
  return value === undefined ? "(none)" : JSON.stringify(value);
}
