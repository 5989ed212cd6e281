import type { FieldValue } from "../../../src/shared/compare/fields";
import { fieldGroup } from "../../../src/shared/compare/fields";
import { formatFieldValue } from "../../../src/shared/compare/format";
import { thinSeries, type Point } from "../../../src/shared/compare/thin";
import type { MetricPoint, SearchTrial } from "../../../src/core/store/runRecord";
import type { Direction } from "../../../src/core/training/metrics";
import type { CompareData } from "../dataset";
import type { TableModel, TableRow } from "../tableModel";

/** The last part of a run id (`20261126-064801-3fa9c2d1` → `3fa9c2d1`): unique enough for an axis. */
export function shortRunId(runId: string): string {
  return runId.slice(runId.lastIndexOf("-") + 1) || runId;
}

export interface MetricBars {
  runIds: string[];
  labels: string[];
  values: number[];
  best: boolean[];
  /** Index of the selected run among the bars, -1 if it has none. */
  selected: number;
  /** How many runs have the metric; more than `values.length` when the bars were thinned. */
  total: number;
}

/**
 * More bars than this are thinner than a pixel on a panel's width: the chart keeps this many,
 * chosen to preserve the curve's shape (see thinSeries), always with the best and the selected run.
 */
export const MAX_BARS = 400;

/** The chosen metric for each shown run that has it, in the table's order (filter and sort applied). */
export function metricBars(model: TableModel, selectedRunId: string | null, maxBars = MAX_BARS): MetricBars {
  const rows = model.rows.filter((row) => row.rank.value !== null);
  const kept = keptBars(rows, selectedRunId, maxBars);
  const runIds = kept.map((row) => row.runId);
  return {
    runIds,
    labels: runIds.map(shortRunId),
    values: kept.map((row) => row.rank.value as number),
    best: kept.map((row) => row.rank.best),
    selected: selectedRunId ? runIds.indexOf(selectedRunId) : -1,
    total: rows.length,
  };
}

function keptBars(rows: TableRow[], selectedRunId: string | null, maxBars: number): TableRow[] {
  if (rows.length <= maxBars) return rows;
  const indices = new Set(thinSeries(rows.map((row, x) => ({ x, y: row.rank.value as number })), maxBars).map((point) => point.x));
  rows.forEach((row, i) => {
    if (row.rank.best || row.runId === selectedRunId) indices.add(i);
  });
  return [...indices].sort((a, b) => a - b).map((i) => rows[i]);
}

/** The series names in the loaded learning curves ("loss", "val_loss"…), sorted. */
export function curveNames(curves: ReadonlyMap<string, readonly MetricPoint[]>, runIds: readonly string[]): string[] {
  const names = new Set<string>();
  for (const runId of runIds) for (const point of curves.get(runId) ?? []) names.add(point.name);
  return [...names].sort();
}

/** The curve to show: the user's choice while it exists, else "loss", else the first. */
export function effectiveCurveName(names: readonly string[], chosen: string | null): string | null {
  if (chosen && names.includes(chosen)) return chosen;
  return names.includes("loss") ? "loss" : (names[0] ?? null);
}

/** The runs whose curves are overlaid: the `count` best among the shown rows (0 = all), plus the selected run. */
export function curveRunIds(model: TableModel, count: number, selectedRunId: string | null): string[] {
  const shown = new Set(model.rows.map((row) => row.runId));
  const ranked = model.ranked.filter((row) => shown.has(row.runId)).map((row) => row.runId);
  const chosen = count > 0 ? ranked.slice(0, count) : ranked;
  if (selectedRunId && shown.has(selectedRunId) && !chosen.includes(selectedRunId)) chosen.push(selectedRunId);
  return chosen;
}

export interface CurveSeries {
  runId: string;
  points: Point[];
  best: boolean;
  selected: boolean;
}

export function curveSeries(curves: ReadonlyMap<string, readonly MetricPoint[]>, rows: readonly TableRow[], runIds: readonly string[], name: string, selectedRunId: string | null): CurveSeries[] {
  const best = new Set(rows.filter((row) => row.rank.best).map((row) => row.runId));
  return runIds
    .map((runId) => ({
      runId,
      points: (curves.get(runId) ?? []).filter((p) => p.name === name && Number.isFinite(p.value)).map((p) => ({ x: p.step, y: p.value })),
      best: best.has(runId),
      selected: runId === selectedRunId,
    }))
    .filter((series) => series.points.length > 0);
}

/**
 * Fields worth plotting against the metric: parameters of the model, the features and the dataset,
 * and the seed — those that differ between the runs first (a constant makes a vertical line).
 */
export function scatterFields(data: CompareData): string[] {
  const differing = new Set(data.comparison.differing);
  // The class names are worth a (categorical) axis only when the runs differ in them.
  const classNames = new Set(["model_class", "feature_generator_class", "dataset_class", "dataset_hash"]);
  const plottable = data.comparison.fields.filter(
    (key) => key === "seed" || key === "duration_s" || (["model", "features", "dataset"].includes(fieldGroup(key)) && (!classNames.has(key) || differing.has(key))),
  );
  return [...plottable.filter((key) => differing.has(key)), ...plottable.filter((key) => !differing.has(key))];
}

export function effectiveScatterField(fields: readonly string[], chosen: string | null): string | null {
  return chosen && fields.includes(chosen) ? chosen : (fields[0] ?? null);
}

export interface ScatterPoint {
  x: number;
  y: number;
  runId: string;
}

export interface ScatterData {
  points: ScatterPoint[];
  /** For a field with text values: the category of each x index; null for a numeric field. */
  categories: string[] | null;
}

/** The shown runs as points (field value, metric value); text values become categories in first-seen order. */
export function scatterData(rows: readonly TableRow[], field: string): ScatterData {
  const withMetric = rows.filter((row) => row.rank.value !== null && row.fields[field] != null);
  const numeric = withMetric.every((row) => typeof row.fields[field] === "number");
  if (numeric) return { categories: null, points: withMetric.map((row) => ({ x: row.fields[field] as number, y: row.rank.value as number, runId: row.runId })) };
  const categories: string[] = [];
  const indexOf = (value: FieldValue) => {
    const text = formatFieldValue(value);
    if (!categories.includes(text)) categories.push(text);
    return categories.indexOf(text);
  };
  const points = withMetric.map((row) => ({ x: indexOf(row.fields[field]), y: row.rank.value as number, runId: row.runId }));
  return { categories, points };
}

export interface TrialsData {
  points: Point[];
  /** Index of the best trial (the one the run's final model used), -1 if none scored. */
  best: number;
  /** Each trial's parameters as text, for tooltips. */
  params: string[];
}

/** A run's search trials as (trial, mean cross-validated score), the best one by the run's metric direction. */
export function trialsData(trials: readonly SearchTrial[], direction: Direction): TrialsData {
  const scored = trials.filter((trial) => Number.isFinite(trial.score));
  let best = -1;
  scored.forEach((trial, i) => {
    if (best < 0 || (direction === "max" ? trial.score > scored[best].score : trial.score < scored[best].score)) best = i;
  });
  return {
    points: scored.map((trial) => ({ x: trial.trial, y: trial.score })),
    best,
    params: scored.map((trial) => Object.entries(trial.params).map(([key, value]) => `${key}=${formatFieldValue(typeof value === "object" ? JSON.stringify(value) : (value as FieldValue))}`).join(", ")),
  };
}

/** Runs that searched (tried more than one parameter set), best first, among the shown rows. */
export function searchedRunIds(model: TableModel, data: CompareData): string[] {
  const shown = new Set(model.rows.map((row) => row.runId));
  return model.ranked.filter((row) => shown.has(row.runId) && data.runs[row.index].search.trials > 1).map((row) => row.runId);
}

/**
 * Whose trials to show: the selected run if it searched, else the best shown run that did
 * (`fallback` says so, for the note); null when no shown run searched.
 */
export function trialsRunId(model: TableModel, data: CompareData, selectedRunId: string | null): { runId: string; fallback: boolean } | null {
  const searched = searchedRunIds(model, data);
  if (selectedRunId && searched.includes(selectedRunId)) return { runId: selectedRunId, fallback: false };
  return searched.length ? { runId: searched[0], fallback: selectedRunId !== null } : null;
}
