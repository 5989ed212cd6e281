import { fieldGroup, type FieldGroup, type FieldValue } from "../../../src/shared/compare/fields";
import { formatDuration, formatFieldValue } from "../../../src/shared/compare/format";

/** The rank column is not a run field: it is computed from the chosen metric. */
export const RANK_COLUMN = "rank";

export interface Column {
  key: string;
  label: string;
  /** A short word above the label saying what kind of field it is ("param", "metric"…), or "". */
  kind: string;
  group: FieldGroup | "rank";
  /** Width in CSS pixels, estimated from the header and the values. */
  width: number;
  /** Numbers align right so their digits line up. */
  numeric: boolean;
}

const LABELS: Record<string, string> = {
  [RANK_COLUMN]: "Rank",
  run_id: "Run",
  status: "Status",
  model_class: "Model",
  feature_generator_class: "Features",
  dataset_class: "Dataset",
  dataset_hash: "Data hash",
  githash: "Code",
  dirty: "Dirty",
  seed: "Seed",
  start_time: "Started",
  duration_s: "Duration",
  backend: "Backend",
  reproduced_from: "Reproduces",
};

const KINDS: Record<string, string> = { params: "param", features: "feature", dataset: "data", metrics: "metric" };

/** Shown inside the Code cell rather than as a column of its own. */
const FOLDED_FIELDS = new Set(["dirty"]);

export function columnLabel(key: string): { label: string; kind: string } {
  if (LABELS[key]) return { label: LABELS[key], kind: "" };
  const dot = key.indexOf(".");
  return dot < 0 ? { label: key, kind: "" } : { label: key.slice(dot + 1), kind: KINDS[key.slice(0, dot)] ?? key.slice(0, dot) };
}

/**
 * Left to right as a run is read: what was trained (model and its parameters, features, dataset,
 * code), then when and how it ran, then the other metrics. The run's own fields keep this order.
 */
const TABLE_GROUP_ORDER: FieldGroup[] = ["model", "features", "dataset", "code", "run", "metric"];
const RUN_FIELD_ORDER = ["start_time", "duration_s", "status", "seed", "backend", "reproduced_from"];

export function tableOrder(fields: readonly string[]): string[] {
  const position = (key: string) => {
    const group = TABLE_GROUP_ORDER.indexOf(fieldGroup(key));
    const within = RUN_FIELD_ORDER.indexOf(key);
    return group * 1000 + (within < 0 ? RUN_FIELD_ORDER.length : within);
  };
  return fields.map((key, i) => ({ key, i })).sort((a, b) => position(a.key) - position(b.key) || a.i - b.i).map(({ key }) => key);
}

/** The columns for some fields: rank and run first, the chosen metric next to them, then the rest in table order. */
export function buildColumns(fields: readonly string[], metric: string | null, rows: readonly Record<string, FieldValue>[]): Column[] {
  const metricKey = metric ? `metrics.${metric}` : undefined;
  // The dirty flag is shown in the Code column: when only it differs, the Code column must show.
  if (fields.includes("dirty") && !fields.includes("githash")) fields = [...fields, "githash"];
  const rest = tableOrder(fields.filter((key) => key !== "run_id" && key !== metricKey && !FOLDED_FIELDS.has(key)));
  const keys = [RANK_COLUMN, "run_id", ...(metricKey && fields.includes(metricKey) ? [metricKey] : []), ...rest];
  const sample = sampleRows(rows, 200);
  return keys.map((key) => {
    const { label, kind } = columnLabel(key);
    const numeric = key === RANK_COLUMN || key === "duration_s" || sample.some((row) => typeof row[key] === "number");
    return { key, label, kind, group: key === RANK_COLUMN ? "rank" : fieldGroup(key), numeric, width: estimateWidth(label, kind, key, sample) };
  });
}

function sampleRows<T>(rows: readonly T[], count: number): readonly T[] {
  if (rows.length <= count) return rows;
  const step = rows.length / count;
  return Array.from({ length: count }, (_, i) => rows[Math.floor(i * step)]);
}

const CHAR_PX = 7.2;
/** Editor fonts are wider than the UI font. */
const MONO_CHAR_PX = 8.1;
const PADDING_PX = 22;
export const MONO_COLUMNS = new Set(["run_id", "githash", "dataset_hash"]);

/** Wide enough for the header and most values, never so wide that one long value pushes the rest away. */
function estimateWidth(label: string, kind: string, key: string, sample: readonly Record<string, FieldValue>[]): number {
  let chars = 0;
  for (const row of sample) chars = Math.max(chars, cellText(key, row).length);
  const valuePx = chars * (MONO_COLUMNS.has(key) ? MONO_CHAR_PX : CHAR_PX);
  const headerPx = Math.max(label.length + 2, kind.length) * CHAR_PX;
  return Math.round(Math.min(280, Math.max(56, valuePx + PADDING_PX, headerPx + PADDING_PX)));
}

/** A cell as shown; `rank` is passed for the rank column. */
export function cellText(key: string, row: Readonly<Record<string, FieldValue>>, rank?: { rank: number | null; best: boolean }): string {
  if (key === RANK_COLUMN) return rank?.rank == null ? "—" : `${rank.best ? "★ " : ""}${rank.rank}`;
  const value = row[key];
  if (value === null || value === undefined) return "";
  switch (key) {
    case "githash":
      return `${String(value).slice(0, 8)}${row.dirty === true ? " ●" : ""}`;
    case "dataset_hash":
      return String(value).slice(0, 10);
    case "start_time":
      return localTime(String(value));
    case "duration_s":
      return formatDuration(typeof value === "number" ? value : null);
    default:
      return formatFieldValue(value);
  }
}

/** A cell's tooltip: the full value where the cell shortens it. */
export function cellTitle(key: string, row: Readonly<Record<string, FieldValue>>): string {
  const value = row[key];
  if (key === "githash" && value) return `${String(value)}${row.dirty === true ? " — snapshot of a working tree with uncommitted changes" : ""}`;
  return value === null || value === undefined ? "" : String(value);
}

/** "2026-11-26 07:00:05" in the viewer's time zone: ISO strings are hard to scan in a column. */
export function localTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
