import { rankRuns, type RankedRun } from "../../src/core/compare/compare";
import { differingCells, visibleFields } from "../../src/shared/compare/differences";
import { fieldGroup, type FieldValue } from "../../src/shared/compare/fields";
import { compileFilter } from "../../src/shared/compare/filter";
import { sortRowIndices } from "../../src/shared/compare/sort";
import type { Direction } from "../../src/core/training/metrics";
import { metricDirection } from "../../src/core/training/metrics";
import type { CompareViewState, SortState } from "../../src/protocol/compare";
import { effectiveMetric, type CompareData } from "./dataset";
import { buildColumns, RANK_COLUMN, type Column } from "./table/columns";

export interface RankInfo {
  rank: number | null;
  best: boolean;
  value: number | null;
}

export interface TableRow {
  runId: string;
  /** Index into CompareData.runs / comparison.rows. */
  index: number;
  fields: Readonly<Record<string, FieldValue>>;
  rank: RankInfo;
  /** Fields whose value differs from the reference (best) run's: highlighted. */
  differs: ReadonlySet<string>;
}

export interface TableModel {
  metric: string | null;
  direction: Direction | null;
  columns: Column[];
  /** Filtered and sorted, in display order. */
  rows: TableRow[];
  /** All compared runs, before the filter. */
  totalRuns: number;
  /** The run the highlighted cells are read against (the best one), if any. */
  referenceRunId: string | null;
  /** Every row in rank order (unfiltered), for charts that show the best N. */
  ranked: TableRow[];
}

/** Fields that always differ between runs or are judged by rank instead: never highlighted. */
const NOT_HIGHLIGHTED = new Set(["run_id", "start_time", "duration_s", "reproduced_from"]);

interface Ranking {
  metric: string | null;
  direction: Direction | null;
  byIndex: RankInfo[];
  order: number[];
  reference: number;
  differs: Set<string>[];
}

/** Ranking and highlights depend on the runs and the metric only; they are kept between renders. */
const rankingCache = new WeakMap<CompareData, Map<string, Ranking>>();

export function rankingOf(data: CompareData, metric: string | null): Ranking {
  const perData = rankingCache.get(data) ?? new Map<string, Ranking>();
  rankingCache.set(data, perData);
  const cached = perData.get(metric ?? "");
  if (cached) return cached;
  const ranking = computeRanking(data, metric);
  perData.set(metric ?? "", ranking);
  return ranking;
}

function computeRanking(data: CompareData, metric: string | null): Ranking {
  const byIndex: RankInfo[] = data.runs.map(() => ({ rank: null, best: false, value: null }));
  let order = data.runs.map((_, i) => i);
  let direction: Direction | null = null;
  if (metric) {
    const ranked = rankRuns(data.runs, metric);
    direction = ranked.direction;
    order = ranked.ranked.map((entry: RankedRun) => data.indexById.get(entry.run.run_id) as number);
    ranked.ranked.forEach((entry, i) => (byIndex[order[i]] = { rank: entry.rank, best: entry.best, value: entry.value }));
  }
  // Without a metric value anywhere the first run is the reference: differences are still worth seeing.
  const reference = order.length ? order[0] : -1;
  const highlighted = data.comparison.differing.filter((key) => !NOT_HIGHLIGHTED.has(key) && fieldGroup(key) !== "metric");
  return { metric, direction, byIndex, order, reference, differs: differingCells(data.comparison.rows, highlighted, reference) };
}

export function deriveTable(data: CompareData, view: CompareViewState): TableModel {
  const metric = effectiveMetric(data, view.metric);
  const ranking = rankingOf(data, metric);
  const rowOf = (index: number): TableRow => ({
    runId: data.runs[index].run_id,
    index,
    fields: data.comparison.rows[index],
    rank: ranking.byIndex[index],
    differs: ranking.differs[index],
  });
  const ranked = ranking.order.map(rowOf);
  const matches = compileFilter(view.filter, data.keys);
  const filtered = ranked.filter((row) => matches(row.fields as Record<string, FieldValue>));
  return {
    metric,
    direction: ranking.direction,
    columns: buildColumns(visibleFields(data.comparison, view.differencesOnly), metric, data.comparison.rows),
    rows: sortRows(filtered, view.sort),
    totalRuns: data.runs.length,
    referenceRunId: ranking.reference >= 0 ? data.runs[ranking.reference].run_id : null,
    ranked,
  };
}

/** Rows in rank order stay so unless the user sorted by a column. */
function sortRows(rows: TableRow[], sort: SortState): TableRow[] {
  if (!sort || (sort.column === RANK_COLUMN && sort.direction === "ascending")) return rows;
  const values = rows.map((row) => (sort.column === RANK_COLUMN ? { [RANK_COLUMN]: row.rank.rank } : row.fields));
  return sortRowIndices(values, sort.column, sort.direction).map((i) => rows[i]);
}

/**
 * The sort after clicking a column header: a new column sorts best-first for metrics (their
 * direction) and ascending otherwise; the same column again reverses. Rank toggles between best
 * first (the default, `null`) and worst first, and from any other column goes back to best first.
 */
export function nextSort(current: SortState, column: string): SortState {
  if (column === RANK_COLUMN) return current === null ? { column, direction: "descending" } : null;
  if (current?.column === column) return { column, direction: current.direction === "ascending" ? "descending" : "ascending" };
  const metric = column.startsWith("metrics.") ? column.slice("metrics.".length) : undefined;
  return { column, direction: metric && metricDirection(metric) === "max" ? "descending" : "ascending" };
}

/** How a column is sorted now, for its header's aria-sort. */
export function sortOf(sort: SortState, column: string): "ascending" | "descending" | "none" {
  if (sort === null) return column === RANK_COLUMN ? "ascending" : "none";
  return sort.column === column ? sort.direction : "none";
}
