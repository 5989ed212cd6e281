import { metricValue, rankRuns } from "../../core/compare/compare";
import type { ModelRun, RunStatus, SearchTrial } from "../../core/store/runRecord";
import type { ProgressMessage } from "../../protocol/training";
import { shortProgressText } from "../training/progressText";
import { count, formatDuration, formatNumber, formatTimestamp } from "../util/format";

// The Runs view as data: which nodes, in which order, with which label, description, icon and
// tooltip. src/extension/runs/runsView.ts only turns these into vscode.TreeItems.

export interface RunsViewOptions {
  groupByModel: boolean;
  /** The metric shown in descriptions; undefined: each run's own metric (the one it optimised). */
  metric?: string;
}

/**
 * A training this window started whose run is not in the store yet (the snapshot and the loading
 * of the workspace come first): shown at once, so a run is visible from the moment it starts.
 */
export interface PendingTraining {
  /** The TrainingService's id, to cancel it. */
  id: number;
  model: string;
  state: "queued" | "running";
  progress?: ProgressMessage;
}

export type RunsNode =
  | { kind: "group"; model: string; runs: ModelRun[] }
  | { kind: "run"; run: ModelRun }
  | { kind: "pending"; training: PendingTraining }
  | { kind: "trial"; run: ModelRun; trial: SearchTrial };

/** Newest first: run ids start with their UTC start time, so the start time decides and the id breaks ties. */
export function sortNewestFirst(runs: readonly ModelRun[]): ModelRun[] {
  return [...runs].sort((a, b) => b.start_time.localeCompare(a.start_time) || b.run_id.localeCompare(a.run_id));
}

/** Trainings of this window whose run is not among `runs` yet, newest first. */
export function pendingNodes(trainings: readonly PendingTraining[]): RunsNode[] {
  return [...trainings].sort((a, b) => b.id - a.id).map((training) => ({ kind: "pending", training }));
}

export function runsRoot(runs: readonly ModelRun[], options: RunsViewOptions): RunsNode[] {
  const sorted = sortNewestFirst(runs);
  if (!options.groupByModel) return sorted.map((run) => ({ kind: "run", run }));
  const groups = new Map<string, ModelRun[]>();
  for (const run of sorted) groups.set(run.model_class, [...(groups.get(run.model_class) ?? []), run]);
  return [...groups.keys()].sort((a, b) => a.localeCompare(b)).map((model) => ({ kind: "group", model, runs: groups.get(model) ?? [] }));
}

export function groupChildren(node: Extract<RunsNode, { kind: "group" }>): RunsNode[] {
  return node.runs.map((run) => ({ kind: "run", run }));
}

/** A stable id per node, so VS Code keeps selection and expansion across refreshes. */
export function nodeId(node: RunsNode): string {
  if (node.kind === "pending") return `pending:${node.training.id}`;
  if (node.kind === "trial") return `trial:${node.run.run_id}:${node.trial.trial}`;
  return node.kind === "group" ? `group:${node.model}` : `run:${node.run.run_id}`;
}

/**
 * What a person looks for first, readable in a narrow side bar: "ModelImpl1 · accuracy 0.8125",
 * or what a run without metrics is doing ("ModelImpl1 · epoch 7 · loss 0.12"). The run id and the
 * time are the description (and the tooltip).
 */
export function runLabel(run: ModelRun, options: Pick<RunsViewOptions, "metric">, progress?: ProgressMessage): string {
  return `${run.model_class} · ${statusDetail(run, options.metric ?? run.metric, progress)}`;
}

/** "06:44 · 20261129-064411-e3670358": when it started (local time; the date when not today) and its id. */
export function runDescription(run: ModelRun, now = new Date()): string {
  return `${startedAt(run.start_time, now)} · ${run.run_id}`;
}

function startedAt(iso: string, now: Date): string {
  const stamp = formatTimestamp(iso);
  const [day, time] = stamp.split(" ");
  const today = formatTimestamp(now.toISOString()).split(" ")[0];
  return time === undefined ? stamp : day === today ? time.slice(0, 5) : `${day} ${time.slice(0, 5)}`;
}

/** True when the run searched hyperparameters (a list among its model parameters): its trials are its children. */
export function hasTrials(run: ModelRun): boolean {
  return Object.values(run.model_params ?? {}).some(Array.isArray);
}

/** A run's search trials as rows, in candidate order: recorded as they finish, so a running search grows. */
export function trialNodes(run: ModelRun, trials: readonly SearchTrial[]): RunsNode[] {
  return [...trials].sort((a, b) => a.trial - b.trial).map((trial) => ({ kind: "trial", run, trial }));
}

/** "trial 3 · accuracy 0.5729", or "trial 3 · failed". */
export function trialLabel(run: ModelRun, trial: SearchTrial): string {
  const what = trial.status === "failed" ? "failed" : `${run.metric} ${formatNumber(trial.score)}`;
  return `trial ${trial.trial + 1} · ${what}`;
}

/** "vm/4242 · 1.2 s · {"value":3}": which worker scored it (distributed searches), how long, with what. */
export function trialDescription(trial: SearchTrial): string {
  const parts = [trial.worker, trial.duration_ms !== undefined ? formatDuration(trial.duration_ms) : undefined, JSON.stringify(trial.params)];
  return parts.filter((part) => part !== undefined).join(" · ");
}

/** The row of a training whose run is not recorded yet: "ModelImpl1 · starting…". */
export function pendingLabel(training: PendingTraining): string {
  const detail = training.state === "queued" ? "queued" : training.progress ? shortProgressText(training.progress) : "starting…";
  return `${training.model} · ${detail}`;
}

function statusDetail(run: ModelRun, metric: string, progress: ProgressMessage | undefined): string {
  switch (run.status) {
    case "running":
      return progress ? shortProgressText(progress) : "running";
    case "finished":
      return `${metric} ${formatNumber(metricValue(run, metric))}${reproductionNote(run)}`;
    default:
      return run.status;
  }
}

function reproductionNote(run: ModelRun): string {
  const verdict = run.reproduction?.verdict;
  return typeof verdict === "string" ? ` · reproduction ${verdict.replace("_", " ")}` : "";
}

export function groupDescription(node: Extract<RunsNode, { kind: "group" }>, options: Pick<RunsViewOptions, "metric">): string {
  const metric = options.metric ?? node.runs.find((run) => run.status === "finished")?.metric;
  const best = metric ? rankRuns(node.runs, metric).ranked.find((entry) => entry.best) : undefined;
  const runs = count(node.runs.length, "run");
  return best && metric ? `${runs} · best ${metric} ${formatNumber(best.value)}` : runs;
}

/** A codicon id and a theme colour id per status; running spins. */
export const STATUS_ICONS: Record<RunStatus, { icon: string; color?: string }> = {
  running: { icon: "sync~spin", color: "charts.blue" },
  finished: { icon: "pass", color: "testing.iconPassed" },
  failed: { icon: "error", color: "testing.iconFailed" },
  cancelled: { icon: "circle-slash", color: "disabledForeground" },
  crashed: { icon: "warning", color: "problemsWarningIcon.foreground" },
};

/**
 * What menus key on: `run:<status>`, plus `:ownTraining` while this window trains it (so it can be
 * cancelled from the tree) and `:reproducible` for finished runs.
 */
export function runContextValue(run: ModelRun, trainedHere: boolean): string {
  const parts = ["run", run.status];
  if (trainedHere) parts.push("ownTraining");
  if (run.status === "finished") parts.push("reproducible");
  return parts.join(":");
}

/** The `model_runs` fields of a run as a Markdown table, for its tooltip. */
export function runTooltipMarkdown(run: ModelRun): string {
  const rows: Array<[string, string]> = [
    ["run_id", run.run_id],
    ["status", run.status],
    ["model_class", run.model_class],
    ["hyperparameters", json(run.hyperparameters)],
    ["feature_generator_class", run.feature_generator_class],
    ["dataset_class", run.dataset_class],
    ["metrics", metricsText(run.metrics)],
    ["githash", run.githash ? `${run.githash}${run.dirty ? " (snapshot of a dirty working tree)" : ""}` : "— (not in a git repository)"],
    ["artifacts", run.artifacts],
    ["start_time", formatTimestamp(run.start_time)],
    ["end_time", run.end_time ? `${formatTimestamp(run.end_time)} (${formatDuration(Date.parse(run.end_time) - Date.parse(run.start_time))})` : "—"],
    ["seed", String(run.seed)],
    ["metric", run.metric],
  ];
  if (run.dataset_rows !== null) rows.push(["dataset_rows", String(run.dataset_rows)]);
  if (run.backend) rows.push(["backend", run.backend]);
  if (run.reproduced_from) rows.push(["reproduced_from", run.reproduced_from]);
  if (run.error) rows.push(["error", run.error]);
  const table = rows.map(([name, value]) => `| \`${name}\` | ${escapeCell(value)} |`).join("\n");
  return `**${escapeCell(run.model_class)}** · ${run.status}\n\n| field | value |\n| --- | --- |\n${table}\n`;
}

function metricsText(metrics: Record<string, number> | null | undefined): string {
  const entries = Object.entries(metrics ?? {});
  return entries.length ? entries.map(([name, value]) => `${name} ${formatNumber(value)}`).join(", ") : "—";
}

function json(value: unknown): string {
  return value === null || value === undefined ? "—" : JSON.stringify(value);
}

/** Pipes and newlines would break the table; backslashes and markup characters are escaped. */
export function escapeCell(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`).replace(/\r?\n/g, " ");
}
