/**
 * The contract between the run page (webview/run, a rendered page per run) and the extension
 * (src/extension/runPage). Types and guards only: no `vscode`, no DOM, imported by both sides.
 */
import type { JsonValue } from "../core/util/json";
import type { MetricPoint, RunStatus, SearchTrial } from "../core/store/runRecord";
import type { NoticeLevel, RunAction } from "./compare";

export const RUN_PAGE_VIEW_TYPE = "mlexp.runPage";

/** The page's actions: the comparison panel's per-run actions, plus comparing this run with others. */
export type RunPageAction = RunAction | "compareWith";
export const RUN_PAGE_ACTIONS: readonly RunPageAction[] = ["reproduce", "compareWith", "checkout", "worktree", "openArtifacts", "copyRunId"];

/** One parameter of a component: the value the run used, the one given, the declared default. */
export interface ParamRow {
  name: string;
  /** What the run used (for the model: after the search, defaults included). */
  value: JsonValue | null;
  /** What was given, when it differs from `value` (a search list, say). */
  given?: JsonValue;
  default?: JsonValue;
  /** `value` is the declared default. */
  isDefault: boolean;
}

export interface ComponentParams {
  role: "Model" | "Feature generator" | "Data access object";
  name: string;
  rows: ParamRow[];
}

export interface ReproductionRow {
  runId: string;
  /** identical, within_tolerance, different; or the reproduction's status when it did not finish. */
  verdict: string;
  startTime: string;
  /** This run is the reproduction (of `runId`), not the original. */
  isOriginal: boolean;
}

export interface ArtifactFile {
  /** Relative to the run's artifact folder, with "/". */
  path: string;
  bytes: number;
}

export interface RunPageData {
  runId: string;
  model: string;
  status: RunStatus;
  metric: string;
  /** The metric the run is ranked by, and its value (null without one). */
  metricValue: number | null;
  startTime: string;
  endTime: string | null;
  error: string | null;
  seed: number;
  task: string;
  testFraction: number;
  backend: string | null;
  search: { strategy: string; trials: number; cv: number };
  metrics: Array<{ name: string; value: number }>;
  params: ComponentParams[];
  curves: MetricPoint[];
  trials: SearchTrial[];
  code: { githash: string | null; baseCommit: string | null; dirty: boolean | null; workspacePath: string | null };
  dataset: { name: string; hash: string | null; rows: number | null };
  reproductions: ReproductionRow[];
  artifacts: { folder: string; files: ArtifactFile[] };
  warnings: string[];
}

/** Extension → page. */
export type ToRunPage = { type: "run"; page: RunPageData } | { type: "missing"; runId: string; message: string } | { type: "notice"; level: NoticeLevel; text: string };

/** Page → extension. */
export type FromRunPage = { type: "ready" } | { type: "action"; action: RunPageAction; runId: string };

/** What the page keeps across reloads of its webview (VS Code's getState/setState), and the panel serializer reads. */
export interface RunPageState {
  runId: string;
}

export function isFromRunPage(value: unknown): value is FromRunPage {
  if (typeof value !== "object" || value === null) return false;
  const message = value as Record<string, unknown>;
  if (message.type === "ready") return true;
  return message.type === "action" && RUN_PAGE_ACTIONS.includes(message.action as RunPageAction) && typeof message.runId === "string";
}

export function runIdOfState(state: unknown): string | undefined {
  const runId = (state as { runId?: unknown } | null)?.runId;
  return typeof runId === "string" ? runId : undefined;
}
