import type { ChartKind, ComparePanelState, CompareSelection, CompareViewState, SortState } from "../../src/protocol/compare";
import { isSelection } from "../../src/protocol/compare";

export const CHART_KINDS: readonly ChartKind[] = ["metric", "curves", "scatter", "trials"];

/** Learning curves of the 25 best runs by default: readable, and any other count is one click away. */
export const DEFAULT_CURVE_RUNS = 25;

export const DEFAULT_VIEW: CompareViewState = {
  metric: null,
  differencesOnly: false,
  sort: null,
  filter: "",
  chart: "metric",
  scatterField: null,
  curveName: null,
  curveRuns: DEFAULT_CURVE_RUNS,
  selectedRunId: null,
  whatChangedOpen: false,
  diffBaseRunId: null,
};

type Checks = { [K in keyof CompareViewState]: (value: unknown) => value is CompareViewState[K] };

const isNullableString = (value: unknown): value is string | null => value === null || typeof value === "string";

const CHECKS: Checks = {
  metric: isNullableString,
  differencesOnly: (value): value is boolean => typeof value === "boolean",
  sort: isSort,
  filter: (value): value is string => typeof value === "string",
  chart: (value): value is ChartKind => CHART_KINDS.includes(value as ChartKind),
  scatterField: isNullableString,
  curveName: isNullableString,
  curveRuns: (value): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0,
  selectedRunId: isNullableString,
  whatChangedOpen: (value): value is boolean => typeof value === "boolean",
  diffBaseRunId: isNullableString,
};

function isSort(value: unknown): value is SortState {
  if (value === null) return true;
  const sort = value as { column?: unknown; direction?: unknown } | undefined;
  return typeof sort === "object" && typeof sort.column === "string" && (sort.direction === "ascending" || sort.direction === "descending");
}

/**
 * The view state from `getState()`, field by field: a state written by an older version of the
 * panel (or nothing at all) gives the defaults for whatever it lacks, never a broken panel.
 */
export function restoreView(saved: unknown): CompareViewState {
  const view = (typeof saved === "object" && saved !== null ? saved : {}) as Record<string, unknown>;
  const restored = { ...DEFAULT_VIEW } as Record<keyof CompareViewState, unknown>;
  for (const key of Object.keys(CHECKS) as (keyof CompareViewState)[]) {
    if (CHECKS[key](view[key])) restored[key] = view[key];
  }
  return restored as CompareViewState;
}

export function restorePanelState(saved: unknown): ComparePanelState {
  const state = (typeof saved === "object" && saved !== null ? saved : {}) as Record<string, unknown>;
  const selection: CompareSelection = isSelection(state.selection) ? state.selection : { runIds: [] };
  return { selection, view: restoreView(state.view) };
}
