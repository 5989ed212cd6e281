import type { CompareViewState } from "../../src/protocol/compare";
import type { CompareData } from "./dataset";
import { countOf, h } from "./dom";
import { labelled, syncSelect } from "./select";
import type { TableModel } from "./tableModel";

export interface ToolbarCallbacks {
  onMetric(metric: string): void;
  onDifferencesOnly(on: boolean): void;
  onFilter(text: string): void;
  onAddRuns(): void;
  onExportCsv(): void;
}

const FILTER_DELAY_MS = 120;

/** The controls above the table: metric of choice, differences only, filter, run count, add runs, CSV. */
export class Toolbar {
  readonly element: HTMLElement;
  private readonly metric = h("vscode-single-select", { class: "metric-select" });
  private readonly direction = h("span", { class: "direction", "aria-live": "polite" });
  private readonly differencesOnly = h("vscode-checkbox", { label: "Differences only" });
  private readonly filter = h("vscode-textfield", { class: "filter", placeholder: "Filter: words, -word, accuracy>0.9, model=forest" });
  private readonly count = h("span", { class: "run-count", role: "status" });
  private filterTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(callbacks: ToolbarCallbacks) {
    this.metric.addEventListener("change", () => callbacks.onMetric(this.metric.value));
    this.differencesOnly.addEventListener("change", () => callbacks.onDifferencesOnly(this.differencesOnly.checked));
    this.differencesOnly.title = "Hide the columns where every run has the same value; highlighted cells differ from the best run";
    this.filter.addEventListener("input", () => {
      clearTimeout(this.filterTimer);
      this.filterTimer = setTimeout(() => callbacks.onFilter(this.filter.value), FILTER_DELAY_MS);
    });
    const add = h("vscode-button", { icon: "add", secondary: true, onclick: () => callbacks.onAddRuns() }, "Add runs…");
    const csv = h("vscode-button", { icon: "export", secondary: true, onclick: () => callbacks.onExportCsv() }, "Export CSV");
    this.element = h(
      "div",
      { class: "toolbar", role: "toolbar", "aria-label": "Comparison controls" },
      labelled("metric-select", "Metric", this.metric),
      this.direction,
      this.differencesOnly,
      labelled("filter-input", "Filter", this.filter),
      this.count,
      h("span", { class: "spacer" }),
      add,
      csv,
    );
  }

  update(data: CompareData, model: TableModel, view: CompareViewState): void {
    syncSelect(this.metric, data.metrics.map((name) => ({ value: name, label: name })), model.metric);
    this.metric.toggleAttribute("disabled", data.metrics.length === 0);
    this.direction.textContent = model.direction === null ? "no metrics yet" : model.direction === "max" ? "↑ higher is better" : "↓ lower is better";
    if (this.differencesOnly.checked !== view.differencesOnly) this.differencesOnly.checked = view.differencesOnly;
    if (this.filter.value !== view.filter && document.activeElement !== this.filter) this.filter.value = view.filter;
    this.count.textContent = model.rows.length === model.totalRuns ? countOf(model.totalRuns, "run") : `${model.rows.length.toLocaleString()} of ${countOf(model.totalRuns, "run")}`;
  }
}
