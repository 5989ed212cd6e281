/**
 * mlexp, the library: what `import … from "mlexp"` gives user code, the CLI, the training worker
 * and the extension. Nothing here imports `vscode`.
 */
export { Component, type ComponentKind } from "./components/component";
export { Model, type FitContext, type ModelClass, type Task } from "./components/model";
export { FeatureGenerator, type FeatureGeneratorClass } from "./components/featureGenerator";
export { DataAccessObject, type DataAccessObjectClass, type LoadContext } from "./components/dataAccessObject";
export { param, describeParams, resolveParams, type ParamSpecs, type ParamValues, type ParamDescription, type RawParams } from "./components/params";
export { Registry } from "./components/registry";
export {
  activeRegistry,
  builtinRegistry,
  getDataAccessObject,
  getFeatureGenerator,
  getModel,
  register,
  registerDataAccessObject,
  registerFeatureGenerator,
  registerModel,
} from "./registration";
export * from "./builtins";
export { Dataset, type Column, type CellValue } from "./data/dataset";
export { createMatrix, matrixFromRows, rowOf, takeRows, type Matrix } from "./data/matrix";
export { Rng } from "./util/random";
export { MlexpError, isMlexpError, messageOf, type MlexpErrorCode } from "./util/errors";
export { trainModel, type TrainOptions, type RunEnvironment } from "./training/trainModel";
export type { TrainRequest } from "./training/resolveRequest";
export type { Progress, ProgressListener, Phase } from "./training/progress";
export { METRICS, metricDirection, DEFAULT_METRIC, classificationMetrics, regressionMetrics } from "./training/metrics";
export type { SearchOptions, SearchSettings } from "./training/search";
export { reproduceRun, type ReproduceOptions, type ReproductionReport, type ReproductionExplanation, type DataCheck } from "./reproduce/reproduce";
export { diffRuns, type RunDiffSources, type RunDiff, type CodeDiff, type DataDiff, type ParametersDiff, type EnvironmentDiff } from "./diff";
export { compareMetrics, type MetricComparison, type Verdict } from "./reproduce/verdict";
export { Store, STORE_DIR } from "./store/store";
export type { ModelRun, RunStatus, MetricPoint, SearchTrial } from "./store/runRecord";
export { isRunId } from "./store/runId";
export { collectGarbage, rebuildDatabase, type GcResult, type RebuildResult } from "./store/maintenance";
export { ObjectStore } from "./objects/objectStore";
export { checkoutRun, worktreeForRun } from "./git/checkout";
export { snapshotWorkingTree } from "./git/snapshot";
export { loadWorkspace, findConfig, type LoadedWorkspace } from "./workspace/loadWorkspace";
export { describeComponents, type ComponentDescription } from "./workspace/describe";
export { compareRuns, rankRuns, metricNames, metricValue, type Comparison, type RankedRun } from "./compare/compare";
export { flattenRun, type FieldValue } from "./compare/fields";
export { toCsv } from "./compare/csv";
export { loadTf } from "./tfjs/backend";
