import type { ObjectStore } from "../objects/objectStore";
import type { ModelRun, SearchTrial } from "../store/runRecord";
import { messageOf } from "../util/errors";
import { diffCode } from "./code/codeDiff";
import { diffStoredData } from "./data/dataDiff";
import { recordedSummary } from "./data/summarise";
import { diffEnvironment } from "./environmentDiff";
import { diffParameters } from "./parameters";
import { summarise } from "./sentence";
import type { CodeDiff, DataDiff, DiffPart, MetricChange, RunDiff } from "./types";

export interface RunDiffSources {
  /** The workspace folder (inside the git repository that holds the runs' snapshots). */
  workspace: string;
  /** Where the runs' datasets are stored. */
  objects: ObjectStore;
  /** The runs' search trials, for the chosen trial. */
  trials?(runId: string): Promise<SearchTrial[]>;
  sampleSize?: number;
  /** How the sentence names the runs (default "A" and "B"). */
  names?: { a: string; b: string };
}

/**
 * What changed from run A to run B: code (files between the two snapshot commits, and which
 * components' source changed), data (from the stored chunks), parameters (as really used) and
 * environment (as recorded when each run started), with a summary sentence. A part that cannot be
 * compared (no snapshot, no stored data) says why instead of failing the whole comparison.
 */
export async function diffRuns(a: ModelRun, b: ModelRun, sources: RunDiffSources): Promise<RunDiff> {
  const [code, trialsA, trialsB] = await Promise.all([
    diffCode(sources.workspace, a, b).catch((error): CodeDiff => ({ status: "unknown", reason: messageOf(error) })),
    sources.trials?.(a.run_id) ?? [],
    sources.trials?.(b.run_id) ?? [],
  ]);
  const data = await diffData(a, b, sources);
  const parameters = diffParameters(a, b, { a: trialsA, b: trialsB });
  const environment = diffEnvironment(a, b);
  const metric = metricChange(a, b);
  const differs: DiffPart[] = [];
  if (code.status === "changed") differs.push("code");
  if (data.status === "changed") differs.push("data");
  if (parameters.status === "changed") differs.push("parameters");
  if (environment.status === "changed") differs.push("environment");
  return {
    a: refOf(a),
    b: refOf(b),
    summary: summarise({ code, data, parameters, environment, metric }, sources.names),
    differs,
    code,
    data,
    parameters,
    environment,
    metric,
  };
}

async function diffData(a: ModelRun, b: ModelRun, sources: RunDiffSources): Promise<DataDiff> {
  if (!a.dataset_hash || !b.dataset_hash) {
    const which = [a, b].filter((run) => !run.dataset_hash).map((run) => run.run_id);
    return { status: "unknown", reason: `run ${which.join(" and ")} has no stored dataset` };
  }
  try {
    return await diffStoredData(sources.objects, a.dataset_hash, b.dataset_hash, {
      summaryA: recordedSummary(a.details),
      summaryB: recordedSummary(b.details),
      sampleSize: sources.sampleSize,
    });
  } catch (error) {
    return { status: "unknown", reason: messageOf(error) };
  }
}

/** B's metric against A's, for the metric B is ranked by. */
function metricChange(a: ModelRun, b: ModelRun): MetricChange | null {
  const name = b.metric || a.metric;
  if (!name) return null;
  const valueA = finiteOrNull(a.metrics?.[name]);
  const valueB = finiteOrNull(b.metrics?.[name]);
  if (valueA === null && valueB === null) return null;
  return { name, a: valueA, b: valueB, difference: valueA === null || valueB === null ? null : valueB - valueA };
}

function finiteOrNull(value: number | undefined): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function refOf(run: ModelRun) {
  return { run_id: run.run_id, model_class: run.model_class, githash: run.githash, dataset_hash: run.dataset_hash };
}
