/**
 * The contract between the extension host and the comparison webview (dist/webview/compare.js):
 * every message either side sends, and the state the webview persists. Both sides import this
 * file, so a message changed on one side is a compile error on the other. Types only, apart from
 * the guards at the end: importing it loads nothing of the library (the webview bundle stays small).
 *
 * The webview says `ready` whenever it (re)loads — first open, shown again after being hidden,
 * restored after a window reload — and the extension answers with the runs; everything else is on
 * demand (learning curves, search trials) or a user's action.
 */
import type { RunDiff } from "../core/diff/types";
import type { MetricPoint, ModelRun, SearchTrial } from "../core/store/runRecord";

/** The panel's view type: its WebviewPanelSerializer's, and the `onWebviewPanel:` activation event's. */
export const COMPARE_VIEW_TYPE = "mlexp.comparison";

/**
 * Which runs the panel compares. `followModel` compares every run of a model, including runs that
 * finish later (minus the ones the user removed); otherwise exactly `runIds`.
 */
export interface CompareSelection {
  runIds: string[];
  followModel?: string;
  /** Runs of `followModel` the user removed: they do not come back on the next refresh. */
  removed?: string[];
}

export type RunAction = "checkout" | "worktree" | "reproduce" | "openArtifacts" | "copyRunId";

export const RUN_ACTIONS: readonly RunAction[] = ["checkout", "worktree", "reproduce", "openArtifacts", "copyRunId"];

export type ChartKind = "metric" | "curves" | "scatter" | "trials";

export type SortState = { column: string; direction: "ascending" | "descending" } | null;

/** What the user set up in the panel; restored when it is shown again or after a reload. */
export interface CompareViewState {
  metric: string | null;
  differencesOnly: boolean;
  /** null: by rank of the chosen metric, best first. */
  sort: SortState;
  filter: string;
  chart: ChartKind;
  scatterField: string | null;
  curveName: string | null;
  /** How many of the best runs the learning-curve chart overlays; 0 = all. */
  curveRuns: number;
  selectedRunId: string | null;
  /** "What changed": whether the section is open, and the run the others are compared against (null: the oldest). */
  whatChangedOpen: boolean;
  diffBaseRunId: string | null;
}

/** What the webview keeps with `setState`, and what the serializer receives after a reload. */
export interface ComparePanelState {
  selection: CompareSelection;
  view: CompareViewState;
}

/** Learning curves of one run (a run's `metric_history`), thinned by the extension. */
export interface RunCurves {
  runId: string;
  points: MetricPoint[];
}

export type NoticeLevel = "info" | "warning" | "error";

// ---- extension → webview ----------------------------------------------------------------------

export interface RunsMessage {
  type: "runs";
  selection: CompareSelection;
  /** The compared runs as the store has them now (without `details`, which the panel never shows). */
  runs: ModelRun[];
  /** Compared runs that are gone from the store since the last message (deleted). */
  deleted: string[];
  /** A title for what is compared: "12 runs", "runs of LogisticRegression". */
  title: string;
}

export interface CurvesMessage {
  type: "curves";
  curves: RunCurves[];
}

export interface TrialsMessage {
  type: "trials";
  runId: string;
  trials: SearchTrial[];
}

export interface NoticeMessage {
  type: "notice";
  level: NoticeLevel;
  text: string;
}

/** "What changed" from a base run to another compared run; `error` when it could not be computed. */
export interface RunDiffMessage {
  type: "runDiff";
  baseRunId: string;
  runId: string;
  diff?: RunDiff;
  error?: string;
}

export type ToWebview = RunsMessage | CurvesMessage | TrialsMessage | NoticeMessage | RunDiffMessage;

// ---- webview → extension ----------------------------------------------------------------------

export type FromWebview =
  | { type: "ready" }
  | { type: "runAction"; action: RunAction; runId: string }
  /** Ask the user (quick pick) for more runs to compare. */
  | { type: "addRuns" }
  | { type: "removeRuns"; runIds: string[] }
  | { type: "exportCsv"; csv: string; fileName: string }
  | { type: "requestCurves"; runIds: string[] }
  | { type: "requestTrials"; runId: string }
  /** "What changed" from `baseRunId` to each of `runIds`: one `runDiff` answer per run. */
  | { type: "requestDiffs"; baseRunId: string; runIds: string[] }
  /** Opens one changed file in VS Code's diff editor, between the two runs' snapshot commits. */
  | { type: "openFileDiff"; baseRunId: string; runId: string; path: string; oldPath?: string }
  /** Opens the sample of changed rows between the two runs' datasets as a read-only document. */
  | { type: "openRowSample"; baseRunId: string; runId: string };

export type MessageOfType<M extends { type: string }, T extends M["type"]> = Extract<M, { type: T }>;

// ---- guards -----------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === "string";
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);

/** One check per message type: a message from the other side is data to validate, not to trust. */
const FROM_WEBVIEW_CHECKS: { [T in FromWebview["type"]]: (message: Record<string, unknown>) => boolean } = {
  ready: () => true,
  runAction: (m) => isString(m.runId) && RUN_ACTIONS.includes(m.action as RunAction),
  addRuns: () => true,
  removeRuns: (m) => isStringArray(m.runIds),
  exportCsv: (m) => isString(m.csv) && isString(m.fileName),
  requestCurves: (m) => isStringArray(m.runIds),
  requestTrials: (m) => isString(m.runId),
  requestDiffs: (m) => isString(m.baseRunId) && isStringArray(m.runIds),
  openFileDiff: (m) => isString(m.baseRunId) && isString(m.runId) && isString(m.path) && (m.oldPath === undefined || isString(m.oldPath)),
  openRowSample: (m) => isString(m.baseRunId) && isString(m.runId),
};

const TO_WEBVIEW_CHECKS: { [T in ToWebview["type"]]: (message: Record<string, unknown>) => boolean } = {
  runs: (m) => Array.isArray(m.runs) && isStringArray(m.deleted) && isSelection(m.selection) && isString(m.title),
  curves: (m) => Array.isArray(m.curves),
  trials: (m) => isString(m.runId) && Array.isArray(m.trials),
  notice: (m) => isString(m.text) && (m.level === "info" || m.level === "warning" || m.level === "error"),
  runDiff: (m) => isString(m.baseRunId) && isString(m.runId) && (isRecord(m.diff) || isString(m.error)),
};

function checkedBy<M extends { type: string }>(checks: Record<string, (message: Record<string, unknown>) => boolean>, value: unknown): value is M {
  if (!isRecord(value) || !isString(value.type) || !Object.hasOwn(checks, value.type)) return false;
  return checks[value.type](value);
}

/** Narrows what the extension receives from the webview. */
export function isFromWebview(value: unknown): value is FromWebview {
  return checkedBy<FromWebview>(FROM_WEBVIEW_CHECKS, value);
}

/** Narrows what the webview receives (a window `message` event can come from elsewhere too). */
export function isToWebview(value: unknown): value is ToWebview {
  return checkedBy<ToWebview>(TO_WEBVIEW_CHECKS, value);
}

/** Narrows a known message to one type, e.g. `if (isMessage(message, "runs")) message.runs…`. */
export function isMessage<M extends { type: string }, T extends M["type"]>(message: M, type: T): message is MessageOfType<M, T> {
  return message.type === type;
}

export function isSelection(value: unknown): value is CompareSelection {
  if (!isRecord(value) || !isStringArray(value.runIds)) return false;
  if (value.followModel !== undefined && !isString(value.followModel)) return false;
  return value.removed === undefined || isStringArray(value.removed);
}

/** The selection in a persisted panel state (from a serializer: any shape an older version wrote). */
export function selectionOfState(state: unknown): CompareSelection | undefined {
  return isRecord(state) && isSelection(state.selection) ? state.selection : undefined;
}
