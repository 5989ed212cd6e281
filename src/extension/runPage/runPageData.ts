import type { ParamDescription } from "../../core/components/params";
import type { MetricPoint, ModelRun, SearchTrial } from "../../core/store/runRecord";
import type { JsonObject, JsonValue } from "../../core/util/json";
import type { ComponentDescription } from "../../core/workspace/describe";
import type { ArtifactFile, ComponentParams, ParamRow, ReproductionRow, RunPageData } from "../../protocol/runPage";

/** Everything the page shows besides the run's own row, read by the panel. */
export interface RunPageInputs {
  run: ModelRun;
  /** Every run of the workspace: the reproductions of this run are among them. */
  runs: readonly ModelRun[];
  history: readonly MetricPoint[];
  trials: readonly SearchTrial[];
  /** The components as the catalog describes them (their parameters' defaults); may be empty. */
  components: readonly ComponentDescription[];
  artifactFiles: readonly ArtifactFile[];
}

/** The run page's data: plain values, ready to render. */
export function runPageData(inputs: RunPageInputs): RunPageData {
  const { run } = inputs;
  const metricValue = run.metrics[run.metric];
  return {
    runId: run.run_id,
    model: run.model_class,
    status: run.status,
    metric: run.metric,
    metricValue: typeof metricValue === "number" ? metricValue : null,
    startTime: run.start_time,
    endTime: run.end_time,
    error: run.error,
    seed: run.seed,
    task: run.task,
    testFraction: run.test_fraction,
    backend: run.backend,
    search: { strategy: run.search.strategy, trials: run.search.trials, cv: run.search.cv },
    metrics: metricsOf(run),
    params: [
      componentParams("Model", run.model_class, run.hyperparameters, run.model_params, describe(inputs.components, "model", run.model_class)),
      componentParams("Feature generator", run.feature_generator_class, run.feature_generator_params, run.feature_generator_params, describe(inputs.components, "featureGenerator", run.feature_generator_class)),
      componentParams("Data access object", run.dataset_class, run.dataset_params, run.dataset_params, describe(inputs.components, "dataAccessObject", run.dataset_class)),
    ],
    curves: [...inputs.history],
    trials: [...inputs.trials],
    code: { githash: run.githash, baseCommit: run.base_commit, dirty: run.dirty, workspacePath: run.workspace_path },
    dataset: { name: run.dataset_class, hash: run.dataset_hash, rows: run.dataset_rows },
    reproductions: reproductionsOf(run, inputs.runs),
    artifacts: { folder: run.artifacts, files: [...inputs.artifactFiles].sort((a, b) => a.path.localeCompare(b.path)) },
    warnings: Array.isArray(run.details?.warnings) ? run.details.warnings.filter((w): w is string => typeof w === "string") : [],
  };
}

/** The run's own metric first, then the others by name. */
function metricsOf(run: ModelRun): Array<{ name: string; value: number }> {
  return Object.entries(run.metrics ?? {})
    .filter((entry): entry is [string, number] => typeof entry[1] === "number")
    .sort(([a], [b]) => (a === run.metric ? -1 : b === run.metric ? 1 : a.localeCompare(b)))
    .map(([name, value]) => ({ name, value }));
}

function describe(components: readonly ComponentDescription[], kind: ComponentDescription["kind"], name: string): readonly ParamDescription[] {
  return components.find((component) => component.kind === kind && component.name === name)?.params ?? [];
}

/**
 * Every declared parameter with the value used and its default, then any recorded parameter the
 * description does not know (a component changed since the run, or one the catalog could not read).
 */
export function componentParams(role: ComponentParams["role"], name: string, used: JsonObject, given: JsonObject, declared: readonly ParamDescription[]): ComponentParams {
  const rows: ParamRow[] = declared.map((param) => {
    const value = param.name in used ? used[param.name] : param.name in given ? given[param.name] : (param.default ?? null);
    return paramRow(param.name, value, given[param.name], param.default);
  });
  const known = new Set(declared.map((param) => param.name));
  for (const key of Object.keys({ ...given, ...used })) {
    if (!known.has(key)) rows.push(paramRow(key, key in used ? used[key] : given[key], given[key], undefined));
  }
  return { role, name, rows };
}

function paramRow(name: string, value: JsonValue | null, given: JsonValue | undefined, fallback: JsonValue | undefined): ParamRow {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return {
    name,
    value,
    ...(given !== undefined && !same(given, value) ? { given } : {}),
    ...(fallback !== undefined ? { default: fallback } : {}),
    isDefault: fallback !== undefined && same(value, fallback),
  };
}

/** Reproductions of this run (newest first), or, for a reproduction, its own verdict against the original. */
function reproductionsOf(run: ModelRun, runs: readonly ModelRun[]): ReproductionRow[] {
  const rows: ReproductionRow[] = runs
    .filter((other) => other.reproduced_from === run.run_id)
    .sort((a, b) => b.start_time.localeCompare(a.start_time))
    .map((other) => ({ runId: other.run_id, verdict: verdictOf(other), startTime: other.start_time, isOriginal: false }));
  if (run.reproduced_from) rows.unshift({ runId: run.reproduced_from, verdict: verdictOf(run), startTime: run.start_time, isOriginal: true });
  return rows;
}

function verdictOf(run: ModelRun): string {
  const verdict = run.reproduction?.verdict;
  return typeof verdict === "string" ? verdict : run.status;
}
