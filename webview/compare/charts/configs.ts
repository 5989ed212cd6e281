import type { ActiveElement, ChartConfiguration, ChartOptions, ChartType, ScaleOptions } from "chart.js";
import { formatFieldValue } from "../../../src/shared/compare/format";
import type { Point } from "../../../src/shared/compare/thin";
import type { Direction } from "../../../src/core/training/metrics";
import type { CurveSeries, MetricBars, ScatterData, ScatterPoint, TrialsData } from "./chartData";
import { shortRunId } from "./chartData";
import { seriesStyle, withAlpha, type ChartTheme } from "./theme";

/** Legends help up to a dozen series; past that they hide the chart (tooltips still name each run). */
const MAX_LEGEND_ITEMS = 12;

export type SelectRun = (runId: string) => void;

/** `grace` pads a value axis so the extreme points are not drawn on its edge. */
type Axis = { title: string; kind?: "linear" | "logarithmic" | "category"; ticks?: (value: number) => string; min?: number; max?: number; grace?: boolean };
type AxisOptions = ScaleOptions<"linear" | "logarithmic" | "category">;

function axis(theme: ChartTheme, spec: Axis): AxisOptions {
  return {
    type: spec.kind ?? "linear",
    min: spec.min,
    max: spec.max,
    grace: spec.grace ? "5%" : undefined,
    title: { display: true, text: spec.title, color: theme.foreground, font: { family: theme.fontFamily, size: theme.fontSize } },
    ticks: { color: theme.foreground, font: { family: theme.fontFamily }, ...(spec.ticks ? { callback: (value: number | string) => (spec.ticks as (v: number) => string)(Number(value)) } : {}) },
    grid: { color: theme.grid },
    border: { color: theme.grid },
  } as AxisOptions;
}

/** What every chart shares: no animation (charts redraw on every re-rank), theme colours, click to select. */
function baseOptions<T extends ChartType>(theme: ChartTheme, onClickIndex: (datasetIndex: number, index: number) => void): ChartOptions<T> {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    normalized: true,
    color: theme.foreground,
    borderColor: theme.grid,
    font: { family: theme.fontFamily, size: theme.fontSize },
    plugins: {
      legend: { display: false, labels: { color: theme.foreground, font: { family: theme.fontFamily } } },
      tooltip: { backgroundColor: withAlpha(theme.background, 0.95), titleColor: theme.foreground, bodyColor: theme.foreground, borderColor: theme.grid, borderWidth: 1 },
    },
    onClick: (_event: unknown, elements: ActiveElement[]) => {
      const [element] = elements;
      if (element) onClickIndex(element.datasetIndex, element.index);
    },
  } as ChartOptions<T>;
}

function directionWords(direction: Direction | null): string {
  return direction === "max" ? " (higher is better)" : direction === "min" ? " (lower is better)" : "";
}

export function metricBarsConfig(bars: MetricBars, metric: string, direction: Direction | null, theme: ChartTheme, select: SelectRun): ChartConfiguration<"bar", number[], string> {
  // Other runs in a muted foreground, so the best (green) and the selected run (focus colour) stand out.
  const normal = withAlpha(theme.foreground, theme.highContrast ? 0.8 : 0.4);
  const colours = bars.values.map((_, i) => (i === bars.selected ? theme.selected : bars.best[i] ? theme.best : normal));
  const options = baseOptions<"bar">(theme, (_, index) => select(bars.runIds[index]));
  options.scales = { x: axis(theme, { title: "run", kind: "category" }), y: axis(theme, { title: `${metric}${directionWords(direction)}`, grace: true }) };
  options.plugins = {
    ...options.plugins,
    tooltip: { ...options.plugins?.tooltip, callbacks: { title: (items) => bars.runIds[items[0]?.dataIndex ?? 0] ?? "", label: (item) => `${metric} ${formatFieldValue(item.parsed.y)}${bars.best[item.dataIndex] ? " ★ best" : ""}` } },
  };
  return {
    type: "bar",
    data: { labels: bars.labels, datasets: [{ label: metric, data: bars.values, backgroundColor: colours, borderColor: colours, borderWidth: theme.highContrast ? 1 : 0, categoryPercentage: 0.9, barPercentage: 0.9 }] },
    options,
  };
}

export function curvesConfig(series: readonly CurveSeries[], name: string, theme: ChartTheme, select: SelectRun): ChartConfiguration<"line", Point[]> {
  let other = 0;
  const datasets = series.map((curve) => {
    const emphasised = curve.selected || curve.best;
    // The selected and the best run keep their colours from the other charts; the rest cycle the palette.
    const { colour, dash } = emphasised ? { colour: curve.selected ? theme.selected : theme.best, dash: [] } : seriesStyle(theme, other++);
    return {
      label: `${shortRunId(curve.runId)}${curve.best ? " ★" : ""}`,
      data: curve.points,
      parsing: false as const,
      borderColor: colour,
      backgroundColor: colour,
      borderDash: dash,
      borderWidth: emphasised ? 3 : theme.highContrast ? 2 : 1.25,
      pointRadius: curve.points.length <= 30 ? 2 : 0,
      // The selected run's curve is drawn last, on top of the others.
      order: curve.selected ? 0 : curve.best ? 1 : 2,
    };
  });
  const options = baseOptions<"line">(theme, (datasetIndex) => select(series[datasetIndex].runId));
  options.scales = { x: axis(theme, { title: "epoch" }), y: axis(theme, { title: name, grace: true }) };
  options.plugins = {
    ...options.plugins,
    legend: { ...options.plugins?.legend, display: series.length <= MAX_LEGEND_ITEMS },
    tooltip: { ...options.plugins?.tooltip, callbacks: { title: (items) => series[items[0]?.datasetIndex ?? 0]?.runId ?? "", label: (item) => `epoch ${item.parsed.x}: ${name} ${formatFieldValue(item.parsed.y)}` } },
  };
  return { type: "line", data: { datasets }, options };
}

/** A log axis when a positive parameter spans three orders of magnitude or more (learning rates, penalties). */
export function scatterAxisKind(values: readonly number[]): "linear" | "logarithmic" {
  if (!values.length || values.some((v) => v <= 0)) return "linear";
  return Math.max(...values) / Math.min(...values) >= 1000 ? "logarithmic" : "linear";
}

export function scatterConfig(data: ScatterData, field: string, metric: string, direction: Direction | null, bestRunIds: ReadonlySet<string>, selectedRunId: string | null, theme: ChartTheme, select: SelectRun): ChartConfiguration<"scatter", ScatterPoint[]> {
  const normal = withAlpha(theme.foreground, theme.highContrast ? 0.8 : 0.5);
  const colours = data.points.map((p) => (p.runId === selectedRunId ? theme.selected : bestRunIds.has(p.runId) ? theme.best : normal));
  const radii = data.points.map((p) => (p.runId === selectedRunId || bestRunIds.has(p.runId) ? 6 : 3.5));
  const categories = data.categories;
  const xAxis = categories
    ? axis(theme, { title: field, min: -0.5, max: categories.length - 0.5, ticks: (v) => (Number.isInteger(v) ? (categories[v] ?? "") : "") })
    : axis(theme, { title: field, kind: scatterAxisKind(data.points.map((p) => p.x)) });
  const options = baseOptions<"scatter">(theme, (_, index) => select(data.points[index].runId));
  options.scales = { x: xAxis, y: axis(theme, { title: `${metric}${directionWords(direction)}`, grace: true }) };
  options.plugins = {
    ...options.plugins,
    tooltip: {
      ...options.plugins?.tooltip,
      callbacks: {
        title: (items) => data.points[items[0]?.dataIndex ?? 0]?.runId ?? "",
        label: (item) => `${field} ${categories ? categories[item.parsed.x ?? 0] : formatFieldValue(item.parsed.x)} → ${metric} ${formatFieldValue(item.parsed.y)}`,
      },
    },
  };
  return {
    type: "scatter",
    data: { datasets: [{ label: `${metric} by ${field}`, data: data.points, backgroundColor: colours, borderColor: colours, pointRadius: radii, pointHoverRadius: 8 }] },
    options,
  };
}

export function trialsConfig(trials: TrialsData, metric: string, theme: ChartTheme): ChartConfiguration<"line", Point[]> {
  const colours = trials.points.map((_, i) => (i === trials.best ? theme.best : theme.palette[0]));
  const options = baseOptions<"line">(theme, () => undefined);
  options.scales = { x: axis(theme, { title: "trial", ticks: (v) => (Number.isInteger(v) ? String(v) : "") }), y: axis(theme, { title: `mean cross-validated ${metric}`, grace: true }) };
  options.plugins = {
    ...options.plugins,
    tooltip: {
      ...options.plugins?.tooltip,
      callbacks: {
        title: (items) => `trial ${items[0]?.parsed.x ?? ""}${items[0]?.dataIndex === trials.best ? " ★ best" : ""}`,
        label: (item) => [`${metric} ${formatFieldValue(item.parsed.y)}`, trials.params[item.dataIndex] ?? ""],
      },
    },
  };
  return {
    type: "line",
    data: {
      datasets: [
        {
          label: metric,
          data: trials.points,
          parsing: false,
          borderColor: withAlpha(theme.palette[0], theme.highContrast ? 1 : 0.5),
          borderWidth: theme.highContrast ? 2 : 1,
          pointBackgroundColor: colours,
          pointBorderColor: colours,
          pointRadius: trials.points.map((_, i) => (i === trials.best ? 7 : 3.5)),
        },
      ],
    },
    options,
  };
}
