import { formatFieldValue } from "../../../src/shared/compare/format";
import type { Point } from "../../../src/shared/compare/thin";
import type { MetricPoint, SearchTrial } from "../../../src/core/store/runRecord";
import { metricDirection } from "../../../src/core/training/metrics";
import type { ChartKind, CompareViewState } from "../../../src/protocol/compare";
import type { CompareData } from "../dataset";
import { countOf, h } from "../dom";
import { labelled, syncSelect } from "../select";
import { columnLabel } from "../table/columns";
import type { TableModel, TableRow } from "../tableModel";
import { CHART_KINDS } from "../viewState";
import {
  curveNames,
  curveRunIds,
  curveSeries,
  effectiveCurveName,
  effectiveScatterField,
  metricBars,
  scatterData,
  scatterFields,
  searchedRunIds,
  shortRunId,
  trialsData,
  trialsRunId,
  type ScatterPoint,
} from "./chartData";
import { ChartSlot } from "./chartSlot";
import { curvesConfig, metricBarsConfig, scatterConfig, trialsConfig } from "./configs";
import type { ChartTheme } from "./theme";

export interface ChartInput {
  data: CompareData;
  model: TableModel;
  view: CompareViewState;
  curves: ReadonlyMap<string, readonly MetricPoint[]>;
  trials: ReadonlyMap<string, readonly SearchTrial[]>;
  /** Runs whose curves or trials were asked for and have not arrived yet. */
  loading: ReadonlySet<string>;
}

export interface ChartCallbacks {
  onView(patch: Partial<CompareViewState>): void;
  onSelectRun(runId: string): void;
  requestCurves(runIds: string[]): void;
  requestTrials(runId: string): void;
}

const TAB_TITLES: Record<ChartKind, string> = { metric: "Metric per run", curves: "Learning curves", scatter: "Parameter vs metric", trials: "Search trials" };
const CURVE_COUNTS = [10, 25, 100, 0];

interface Tab {
  controls: HTMLElement;
  box: HTMLElement;
  canvas: HTMLCanvasElement;
  note: HTMLElement;
}

/**
 * The charts, one per tab. Only the tab in view is drawn — drawing four charts of 1,000 runs on
 * every re-rank would be wasted work — and it is redrawn when its inputs or the theme change.
 */
export class ChartPanel {
  readonly element: HTMLElement;
  private readonly tabs = h("vscode-tabs", { class: "chart-tabs" });
  private readonly tab: Record<ChartKind, Tab>;
  private readonly bars: ChartSlot<"bar", number[], string>;
  private readonly curves: ChartSlot<"line", Point[]>;
  private readonly scatter: ChartSlot<"scatter", ScatterPoint[]>;
  private readonly trials: ChartSlot<"line", Point[]>;
  private readonly curveName = h("vscode-single-select");
  private readonly curveCount = h("vscode-single-select");
  private readonly scatterField = h("vscode-single-select", { combobox: true });
  private readonly trialsRun = h("vscode-single-select", { combobox: true });
  private input: ChartInput | undefined;

  constructor(
    private theme: ChartTheme,
    private readonly callbacks: ChartCallbacks,
  ) {
    this.tab = Object.fromEntries(CHART_KINDS.map((kind) => [kind, this.createTab(kind)])) as Record<ChartKind, Tab>;
    this.bars = new ChartSlot(this.tab.metric.canvas);
    this.curves = new ChartSlot(this.tab.curves.canvas);
    this.scatter = new ChartSlot(this.tab.scatter.canvas);
    this.trials = new ChartSlot(this.tab.trials.canvas);
    this.tab.curves.controls.append(labelled("curve-name", "Curve", this.curveName), labelled("curve-count", "Runs", this.curveCount));
    this.tab.scatter.controls.append(labelled("scatter-field", "Parameter", this.scatterField));
    this.tab.trials.controls.append(labelled("trials-run", "Run", this.trialsRun));
    this.curveName.addEventListener("change", () => callbacks.onView({ curveName: this.curveName.value }));
    this.curveCount.addEventListener("change", () => callbacks.onView({ curveRuns: Number(this.curveCount.value) }));
    this.scatterField.addEventListener("change", () => callbacks.onView({ scatterField: this.scatterField.value }));
    // The trials shown are the selected run's: picking a run here selects it in the table too.
    this.trialsRun.addEventListener("change", () => callbacks.onSelectRun(this.trialsRun.value));
    this.tabs.addEventListener("vsc-tabs-select", (event) => callbacks.onView({ chart: CHART_KINDS[event.detail.selectedIndex] ?? "metric" }));
    this.element = h("section", { class: "charts", "aria-label": "Charts" }, this.tabs);
  }

  private createTab(kind: ChartKind): Tab {
    const canvas = h("canvas", { role: "img", "aria-label": TAB_TITLES[kind] });
    const controls = h("div", { class: "chart-controls" });
    const box = h("div", { class: "chart-box" }, canvas);
    const note = h("p", { class: "chart-note" });
    const panel = h("vscode-tab-panel", {}, controls, note, box);
    this.tabs.append(h("vscode-tab-header", { slot: "header" }, TAB_TITLES[kind]), panel);
    return { controls, box, canvas, note };
  }

  setTheme(theme: ChartTheme): void {
    this.theme = theme;
    this.draw();
  }

  update(input: ChartInput): void {
    this.input = input;
    const index = CHART_KINDS.indexOf(input.view.chart);
    if (this.tabs.selectedIndex !== index) this.tabs.selectedIndex = index;
    this.draw();
  }

  private draw(): void {
    const input = this.input;
    if (!input) return;
    const drawers: Record<ChartKind, (input: ChartInput) => void> = {
      metric: (i) => this.drawMetric(i),
      curves: (i) => this.drawCurves(i),
      scatter: (i) => this.drawScatter(i),
      trials: (i) => this.drawTrials(i),
    };
    drawers[input.view.chart](input);
    // For the browser tests and the benchmark, which wait for it; nothing in the page listens.
    document.dispatchEvent(new CustomEvent("mlexp-charts-drawn", { detail: { chart: input.view.chart } }));
  }

  private show(kind: ChartKind, note: string, hasChart: boolean, label?: string): void {
    const tab = this.tab[kind];
    tab.note.textContent = note;
    tab.note.hidden = note === "";
    tab.box.hidden = !hasChart;
    if (label) tab.canvas.setAttribute("aria-label", label);
  }

  private drawMetric({ model, view }: ChartInput): void {
    const metric = model.metric;
    const bars = metricBars(model, view.selectedRunId);
    if (!metric || !bars.values.length) return this.show("metric", metric ? `None of the shown runs has ${metric}.` : "The runs have no metrics yet.", false);
    const missing = model.rows.length - bars.total;
    const bestIndex = bars.best.indexOf(true);
    const shown = bars.values.length < bars.total ? `${bars.values.length.toLocaleString()} of ${countOf(bars.total, "run")} (thinned to keep the chart's shape, best and selected runs always kept)` : countOf(bars.total, "run");
    const note = `${metric} of ${shown} in the table's order; the best run (★) in green, the selected run in the focus colour. Click a bar to select its run.${missing ? ` ${countOf(missing, "run")} without ${metric} left out.` : ""}`;
    this.show("metric", note, true, `${metric} per run; best ${formatFieldValue(bars.values[bestIndex])} (run ${bars.runIds[bestIndex]})`);
    this.bars.draw(metricBarsConfig(bars, metric, model.direction, this.theme, (runId) => this.callbacks.onSelectRun(runId)));
  }

  private drawCurves({ model, view, curves, loading }: ChartInput): void {
    syncSelect(this.curveCount, CURVE_COUNTS.map((n) => ({ value: String(n), label: n ? `best ${n}` : `all ${model.rows.length.toLocaleString()}` })), String(CURVE_COUNTS.includes(view.curveRuns) ? view.curveRuns : 0));
    const runIds = curveRunIds(model, view.curveRuns, view.selectedRunId);
    const missing = runIds.filter((id) => !curves.has(id) && !loading.has(id));
    if (missing.length) this.callbacks.requestCurves(missing);
    const names = curveNames(curves, runIds);
    syncSelect(this.curveName, names.map((name) => ({ value: name, label: name })), effectiveCurveName(names, view.curveName));
    const name = effectiveCurveName(names, view.curveName);
    const series = name ? curveSeries(curves, model.ranked, runIds, name, view.selectedRunId) : [];
    if (!series.length) return this.show("curves", runIds.some((id) => loading.has(id) || !curves.has(id)) ? "Loading learning curves…" : "None of these runs recorded a learning curve (models report one per epoch).", false);
    this.show("curves", `${name} per epoch for ${countOf(series.length, "run")} (the best by ${model.metric ?? "rank"}; the best run in green and the selected run in the focus colour, drawn thicker).`, true, `Learning curves (${name}) of ${countOf(series.length, "run")}`);
    this.curves.draw(curvesConfig(series, name as string, this.theme, (runId) => this.callbacks.onSelectRun(runId)));
  }

  private drawScatter({ data, model, view }: ChartInput): void {
    const fields = scatterFields(data);
    const field = effectiveScatterField(fields, view.scatterField);
    syncSelect(this.scatterField, fields.map((key) => ({ value: key, label: labelOf(key) })), field);
    if (!field || !model.metric) return this.show("scatter", model.metric ? "The runs have no parameters to plot." : "The runs have no metrics yet.", false);
    const points = scatterData(model.rows, field);
    if (!points.points.length) return this.show("scatter", `No shown run has both ${field} and ${model.metric}.`, false);
    const best = new Set(model.rows.filter((row) => row.rank.best).map((row) => row.runId));
    this.show("scatter", `${model.metric} against ${field} for ${countOf(points.points.length, "run")}; the best run in green, the selected run in the focus colour. Click a point to select its run.`, true, `${model.metric} against ${field}`);
    this.scatter.draw(scatterConfig(points, field, model.metric, model.direction, best, view.selectedRunId, this.theme, (runId) => this.callbacks.onSelectRun(runId)));
  }

  private drawTrials({ data, model, view, trials, loading }: ChartInput): void {
    const searched = searchedRunIds(model, data);
    const shown = trialsRunId(model, data, view.selectedRunId);
    const rows = new Map(model.ranked.map((row) => [row.runId, row]));
    syncSelect(this.trialsRun, searched.map((runId) => ({ value: runId, label: runLabel(runId, rows.get(runId)) })), shown?.runId ?? null);
    if (!shown) return this.show("trials", "None of the shown runs searched its parameters (tried more than one set).", false);
    const { runId } = shown;
    const run = data.runs[data.indexById.get(runId) as number];
    const loaded = trials.get(runId);
    if (!loaded) {
      if (!loading.has(runId)) this.callbacks.requestTrials(runId);
      return this.show("trials", `Loading the search trials of run ${runId}…`, false);
    }
    const points = trialsData(loaded, metricDirection(run.metric));
    const instead = shown.fallback ? `The selected run did not search; showing the best run that did. ` : "";
    const about = `${instead}Run ${runId}: ${run.search.strategy} search, ${countOf(loaded.length, "trial")}${run.search.cv ? `, ${run.search.cv}-fold cross-validation` : ""}, scored by ${run.metric}.`;
    if (!points.points.length) return this.show("trials", `${about} No trial has a score.`, false);
    this.show("trials", `${about} ★ the best trial, whose parameters the final model used.`, true, `Search trials of run ${shortRunId(runId)}`);
    this.trials.draw(trialsConfig(points, run.metric, this.theme));
  }

  destroy(): void {
    for (const slot of [this.bars, this.curves, this.scatter, this.trials]) slot.destroy();
  }
}

function runLabel(runId: string, row: TableRow | undefined): string {
  const rank = row?.rank.rank;
  return rank == null ? runId : `${runId} (rank ${rank}${row?.rank.best ? " ★" : ""})`;
}

function labelOf(key: string): string {
  const { label, kind } = columnLabel(key);
  return kind ? `${label} (${kind})` : label;
}
