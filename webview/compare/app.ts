import type { MetricPoint, SearchTrial } from "../../src/core/store/runRecord";
import type { ComparePanelState, CompareViewState, MessageOfType, RunAction, ToWebview } from "../../src/protocol/compare";
import { isToWebview } from "../../src/protocol/compare";
import { ActionsBar } from "./actionsBar";
import { ChartPanel } from "./charts/chartPanel";
import { csvFileName, tableCsv } from "./csv";
import { buildCompareData, runVersion, type CompareData } from "./dataset";
import { countOf, h } from "./dom";
import { Notices } from "./notices";
import { CommonalitiesView } from "./summary";
import { VirtualGrid } from "./table/grid";
import { deriveTable, nextSort, type TableModel } from "./tableModel";
import { currentChartTheme, watchTheme } from "./theming";
import { Toolbar } from "./toolbar";
import { restorePanelState } from "./viewState";
import type { VsCodeApi } from "./vscodeApi";
import { WhatChangedView } from "./whatChanged/section";

type MessageHandlers = { [T in ToWebview["type"]]: (message: MessageOfType<ToWebview, T>) => void };

/**
 * The comparison page: holds the runs and the view state, derives the table from them, and hands
 * each part of the page what it shows. The view state is saved with setState on every change, so
 * the page comes back as it was after being hidden or after a window reload.
 */
export class CompareApp {
  private state: ComparePanelState;
  private data: CompareData | undefined;
  private model: TableModel | undefined;
  /** Learning curves and search trials, loaded on demand and kept while their run is unchanged. */
  private readonly curves = new Map<string, MetricPoint[]>();
  private readonly trials = new Map<string, SearchTrial[]>();
  private readonly loading = new Set<string>();
  /** Each compared run's status and end time when its curves and trials were cached. */
  private readonly versions = new Map<string, string>();
  private chartsPending = false;

  private readonly heading = h("h1", { class: "title" }, "Compare runs");
  private readonly notices = new Notices();
  private readonly toolbar: Toolbar;
  private readonly actions: ActionsBar;
  private readonly commonalities = new CommonalitiesView();
  private readonly whatChanged: WhatChangedView;
  private readonly grid: VirtualGrid;
  private readonly charts: ChartPanel;
  private readonly empty: HTMLElement;
  private readonly content: HTMLElement;

  private readonly handlers: MessageHandlers = {
    runs: (message) => this.onRuns(message),
    curves: (message) => {
      for (const { runId, points } of message.curves) this.storeLoaded(this.curves, runId, points);
      this.scheduleCharts();
    },
    trials: (message) => {
      this.storeLoaded(this.trials, message.runId, message.trials);
      this.scheduleCharts();
    },
    notice: (message) => this.notices.show(message.level, message.text),
    runDiff: (message) => this.whatChanged.receive(message),
  };

  constructor(
    private readonly root: HTMLElement,
    private readonly api: VsCodeApi,
  ) {
    this.state = restorePanelState(api.getState());
    this.whatChanged = new WhatChangedView(
      (message) => api.postMessage(message),
      (patch) => {
        // Nothing else on the page depends on these: saved, not re-rendered.
        this.state = { ...this.state, view: { ...this.state.view, ...patch } };
        this.persist();
      },
      this.state.view,
    );
    this.toolbar = new Toolbar({
      onMetric: (metric) => this.setView({ metric }),
      onDifferencesOnly: (differencesOnly) => this.setView({ differencesOnly }),
      onFilter: (filter) => this.setView({ filter }),
      onAddRuns: () => api.postMessage({ type: "addRuns" }),
      onExportCsv: () => this.exportCsv(),
    });
    this.actions = new ActionsBar({ onAction: (action, runId) => this.runAction(action, runId), onRemove: (runId) => this.removeRun(runId) });
    this.grid = new VirtualGrid({
      onSort: (column) => this.setView({ sort: nextSort(this.state.view.sort, column) }),
      onSelect: (runId) => this.setView({ selectedRunId: runId }),
      onRemove: (runId) => this.removeRun(runId),
    });
    this.charts = new ChartPanel(currentChartTheme(), {
      onView: (patch) => this.setView(patch),
      onSelectRun: (runId) => {
        this.setView({ selectedRunId: runId });
        this.grid.reveal(runId);
      },
      requestCurves: (runIds) => this.request(runIds, () => api.postMessage({ type: "requestCurves", runIds })),
      requestTrials: (runId) => this.request([runId], () => api.postMessage({ type: "requestTrials", runId })),
    });
    this.empty = h("div", { class: "empty-state", hidden: true }, h("p", {}, "No runs to compare."), h("vscode-button", { icon: "add", onclick: () => api.postMessage({ type: "addRuns" }) }, "Add runs…"));
    this.content = h("div", { class: "content" }, this.commonalities.element, this.whatChanged.element, h("section", { class: "table-section", "aria-label": "Runs" }, this.actions.element, this.grid.element), this.charts.element);
    root.replaceChildren(h("header", { class: "page-header" }, this.heading, this.toolbar.element), this.notices.element, this.empty, this.content);
    window.addEventListener("message", (event: MessageEvent<unknown>) => {
      if (isToWebview(event.data)) this.receive(event.data);
    });
    watchTheme((theme) => this.charts.setTheme(theme));
    api.postMessage({ type: "ready" });
  }

  receive(message: ToWebview): void {
    (this.handlers[message.type] as (message: ToWebview) => void)(message);
  }

  private onRuns(message: MessageOfType<ToWebview, "runs">): void {
    this.forgetChanged(message.runs.map((run) => [run.run_id, runVersion(run)]));
    this.data = buildCompareData(message.runs);
    this.state = { ...this.state, selection: message.selection };
    this.heading.textContent = `Compare ${message.title}`;
    if (message.deleted.length) this.notices.show("warning", `${countOf(message.deleted.length, "compared run")} deleted from the store: ${message.deleted.slice(0, 3).join(", ")}${message.deleted.length > 3 ? "…" : ""}`);
    const selected = this.state.view.selectedRunId;
    if (selected && !this.data.indexById.has(selected)) this.state.view = { ...this.state.view, selectedRunId: null };
    this.commonalities.update(this.data);
    this.whatChanged.update(message.runs);
    this.persist();
    this.render();
  }

  /** A run that finished (or changed) since its curves and trials were loaded gets them read again. */
  private forgetChanged(current: [string, string][]): void {
    const now = new Map(current);
    for (const [runId, version] of this.versions) {
      if (now.get(runId) === version) continue;
      this.curves.delete(runId);
      this.trials.delete(runId);
    }
    this.versions.clear();
    for (const [runId, version] of now) this.versions.set(runId, version);
  }

  private storeLoaded<T>(cache: Map<string, T>, runId: string, value: T): void {
    cache.set(runId, value);
    this.loading.delete(runId);
  }

  private request(runIds: string[], send: () => void): void {
    for (const runId of runIds) this.loading.add(runId);
    send();
  }

  private setView(patch: Partial<CompareViewState>): void {
    this.state = { ...this.state, view: { ...this.state.view, ...patch } };
    this.persist();
    this.render();
  }

  private persist(): void {
    this.api.setState(this.state);
  }

  private render(): void {
    const data = this.data;
    if (!data) return;
    this.root.setAttribute("aria-busy", "false");
    this.empty.hidden = data.runs.length > 0;
    this.content.hidden = data.runs.length === 0;
    const view = this.state.view;
    const model = deriveTable(data, view);
    this.model = model;
    this.toolbar.update(data, model, view);
    this.grid.setModel(model, view.sort, view.selectedRunId);
    const selectedIndex = view.selectedRunId ? data.indexById.get(view.selectedRunId) : undefined;
    const selectedRow = model.ranked.find((row) => row.runId === view.selectedRunId);
    this.actions.update(selectedIndex === undefined ? undefined : data.runs[selectedIndex], selectedRow?.rank, model.metric);
    // For the browser tests and the benchmark, which wait for it; nothing in the page listens.
    document.dispatchEvent(new CustomEvent("mlexp-rendered", { detail: { rows: model.rows.length, columns: model.columns.length } }));
    this.scheduleCharts();
  }

  /**
   * Charts draw after the next frame is painted: the table shows first, and several changes in a
   * row (typing in the filter, a burst of refreshes) draw once.
   */
  private scheduleCharts(): void {
    if (this.chartsPending) return;
    this.chartsPending = true;
    requestAnimationFrame(() =>
      setTimeout(() => {
        this.chartsPending = false;
        if (!this.data || !this.model || !this.data.runs.length) return;
        this.charts.update({ data: this.data, model: this.model, view: this.state.view, curves: this.curves, trials: this.trials, loading: this.loading });
      }),
    );
  }

  private runAction(action: RunAction, runId: string): void {
    this.api.postMessage({ type: "runAction", action, runId });
  }

  private removeRun(runId: string): void {
    this.api.postMessage({ type: "removeRuns", runIds: [runId] });
  }

  private exportCsv(): void {
    if (this.model) this.api.postMessage({ type: "exportCsv", csv: tableCsv(this.model), fileName: csvFileName(new Date()) });
  }
}
