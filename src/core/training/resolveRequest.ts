import type { DataAccessObjectClass } from "../components/dataAccessObject";
import type { FeatureGeneratorClass } from "../components/featureGenerator";
import type { ModelClass } from "../components/model";
import { resolveParams, type RawParams } from "../components/params";
import type { Registry } from "../components/registry";
import { MlexpError } from "../util/errors";
import { checkMetric, DEFAULT_METRIC } from "./metrics";
import { parseSearchSpace, resolveSearchSettings, type SearchOptions, type SearchSettings, type SearchSpace } from "./search";

/** `trainModel`'s input: the seed's `train_model(...)` in camelCase, plus the run's settings. */
export interface TrainRequest {
  /** A class (from `getModel`) or a registered name. */
  modelClass: ModelClass | string;
  modelParams?: RawParams;
  featureGeneratorClass?: FeatureGeneratorClass | string;
  featureGeneratorParams?: RawParams;
  datasetClass: DataAccessObjectClass | string;
  datasetParams?: RawParams;
  seed?: number;
  /** The metric to optimise and rank by (default: accuracy or rmse). */
  metric?: string;
  search?: SearchOptions;
  /** Share of rows held out for evaluation (default 0.2). */
  testFraction?: number;
}

/** A request with names resolved, parameters validated and defaults filled in. */
export interface ResolvedRequest {
  modelName: string;
  modelClass: ModelClass;
  modelParams: RawParams;
  space: SearchSpace;
  featureGeneratorName: string;
  featureGeneratorClass: FeatureGeneratorClass;
  featureGeneratorParams: RawParams;
  datasetName: string;
  datasetClass: DataAccessObjectClass;
  datasetParams: RawParams;
  seed: number;
  metric: string;
  search: SearchSettings;
  testFraction: number;
}

export const DEFAULT_SEED = 42;
export const DEFAULT_FEATURE_GENERATOR = "Identity";

/**
 * Everything that can be checked before a run starts is checked here, so a typo in a name or a
 * parameter fails at once and writes nothing.
 */
export function resolveRequest(request: TrainRequest, registry: Registry): ResolvedRequest {
  const model = resolveClass(registry, "model", request.modelClass);
  const features = resolveClass(registry, "featureGenerator", request.featureGeneratorClass ?? DEFAULT_FEATURE_GENERATOR);
  const dataset = resolveClass(registry, "dataAccessObject", request.datasetClass);
  const space = parseSearchSpace(model.cls.params, request.modelParams, { kind: "model", name: model.name });
  const featureGeneratorParams = resolveParams(features.cls.params, request.featureGeneratorParams, { kind: "feature generator", name: features.name });
  const datasetParams = resolveParams(dataset.cls.params, request.datasetParams, { kind: "data access object", name: dataset.name });
  const metric = request.metric ?? DEFAULT_METRIC[model.cls.task];
  checkMetric(metric, model.cls.task, typeof model.cls.prototype.predictProba === "function");
  return {
    modelName: model.name,
    modelClass: model.cls,
    modelParams: (request.modelParams ?? {}) as RawParams,
    space,
    featureGeneratorName: features.name,
    featureGeneratorClass: features.cls,
    featureGeneratorParams,
    datasetName: dataset.name,
    datasetClass: dataset.cls,
    datasetParams,
    seed: checkSeed(request.seed ?? DEFAULT_SEED),
    metric,
    search: resolveSearchSettings(request.search, space),
    testFraction: checkTestFraction(request.testFraction ?? 0.2),
  };
}

type Kinds = { model: ModelClass; featureGenerator: FeatureGeneratorClass; dataAccessObject: DataAccessObjectClass };

/** A name is looked up; a class is used as given, under its registered name if it has one. */
function resolveClass<K extends keyof Kinds>(registry: Registry, kind: K, given: Kinds[K] | string): { name: string; cls: Kinds[K] } {
  if (typeof given === "string") return { name: given, cls: registry.get(kind, given) as Kinds[K] };
  if (typeof given !== "function") {
    throw new MlexpError(`Expected a ${kind} class or name, got ${JSON.stringify(given)}.`, "invalid_argument");
  }
  return { name: registry.nameOf(kind, given) ?? given.name, cls: given };
}

function checkSeed(seed: number): number {
  if (Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff) return seed;
  throw new MlexpError(`The seed must be a whole number between 0 and 4294967295, got ${seed}.`, "invalid_argument");
}

function checkTestFraction(fraction: number): number {
  if (typeof fraction === "number" && fraction > 0 && fraction < 1) return fraction;
  throw new MlexpError(`The test fraction must be between 0 and 1 (exclusive), got ${fraction}.`, "invalid_argument");
}
