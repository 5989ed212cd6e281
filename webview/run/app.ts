import { metricDirection } from "../../src/core/training/metrics";
import type { RunPageAction, RunPageData, ToRunPage } from "../../src/protocol/runPage";
import { formatFieldValue } from "../../src/shared/compare/format";
import type { Point } from "../../src/shared/compare/thin";
import { trialsData } from "../compare/charts/chartData";
import { ChartSlot } from "../compare/charts/chartSlot";
import { curvesConfig, trialsConfig } from "../compare/charts/configs";
import type { ChartTheme } from "../compare/charts/theme";
import { h } from "../compare/dom";
import { Notices } from "../compare/notices";
import { currentChartTheme, watchTheme } from "../compare/theming";
import { artifactsSection, codeSection, datasetSection, metricsSection, paramsSection, reproductionsSection, section, summaryLine, table, jsonText } from "./sections";
import type { RunPageApi } from "./vscodeApi";

interface ActionButton {
  action: RunPageAction;
  label: string;
  icon: string;
  title: string;
  unavailable(page: RunPageData): string | undefined;
}

const noCode = (page: RunPageData) => (page.code.githash ? undefined : "This run was trained outside a git repository: there is no code to restore.");

const BUTTONS: ActionButton[] = [
  { action: "reproduce", label: "Reproduce", icon: "debug-rerun", title: "Train again from the run's code, parameters and stored data, and check the metrics match", unavailable: (page) => (page.status === "finished" ? undefined : `Only finished runs can be reproduced (this one is ${page.status}).`) },
  { action: "compareWith", label: "Compare with…", icon: "diff", title: "Compare this run with other runs", unavailable: () => undefined },
  { action: "checkout", label: "Checkout code", icon: "git-branch", title: "Check out the run's commit in this working tree (refused if it has uncommitted changes)", unavailable: noCode },
  { action: "worktree", label: "Open in worktree", icon: "multiple-windows", title: "Put the run's code in a separate folder, leaving this working tree alone", unavailable: noCode },
  { action: "openArtifacts", label: "Open artifacts", icon: "folder-opened", title: "The run's artifact folder", unavailable: () => undefined },
  { action: "copyRunId", label: "Copy run_id", icon: "copy", title: "Copy the run's id", unavailable: () => undefined },
];

/** The run page: renders the run the extension sends, redraws its charts when the theme changes. */
export class RunPageApp {
  private readonly notices = new Notices();
  private readonly content = h("div", { class: "run-content" });
  private charts: Array<{ slot: ChartSlot<"line", Point[]>; draw: (theme: ChartTheme) => void }> = [];
  private page: RunPageData | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly api: RunPageApi,
  ) {
    root.replaceChildren(this.notices.element, this.content);
    window.addEventListener("message", (event: MessageEvent<ToRunPage>) => this.receive(event.data));
    watchTheme((theme) => this.charts.forEach((chart) => chart.draw(theme)));
    api.postMessage({ type: "ready" });
  }

  private receive(message: ToRunPage): void {
    if (message.type === "notice") return this.notices.show(message.level, message.text);
    this.root.removeAttribute("aria-busy");
    if (message.type === "missing") {
      this.clearCharts();
      this.content.replaceChildren(h("h1", { class: "title" }, `Run ${message.runId}`), h("p", { class: "empty-state" }, message.message));
      return;
    }
    if (this.page && this.page.runId !== message.page.runId) this.notices.clear();
    this.page = message.page;
    this.api.setState({ runId: message.page.runId });
    this.render(message.page);
  }

  private render(page: RunPageData): void {
    this.clearCharts();
    const headline = page.metricValue === null ? `${page.model} · ${page.status}` : `${page.model} · ${page.metric} ${formatFieldValue(page.metricValue)}`;
    const header = h(
      "header",
      { class: "run-header" },
      h("h1", { class: "title" }, h("span", { class: `status-badge status-${page.status}` }, page.status), " ", headline),
      h("p", { class: "hint run-summary" }, summaryLine(page)),
    );
    const sections: HTMLElement[] = [header, this.actions(page)];
    if (page.error) sections.push(section("Error", h("p", { class: "run-error" }, page.error)));
    if (page.warnings.length) sections.push(section("Warnings", h("ul", { class: "warnings" }, ...page.warnings.map((warning) => h("li", {}, warning)))));
    sections.push(metricsSection(page), paramsSection(page.params), this.curvesSection(page), this.trialsSection(page), codeSection(page), datasetSection(page), reproductionsSection(page), artifactsSection(page));
    this.content.replaceChildren(...sections);
    const theme = currentChartTheme();
    this.charts.forEach((chart) => chart.draw(theme));
  }

  private actions(page: RunPageData): HTMLElement {
    const buttons = BUTTONS.map((button) => {
      const reason = button.unavailable(page);
      return h("vscode-button", { icon: button.icon, secondary: true, disabled: reason !== undefined, title: reason ?? button.title, "data-action": button.action, onclick: () => this.api.postMessage({ type: "action", action: button.action, runId: page.runId }) }, button.label);
    });
    return h("div", { class: "actions-bar", role: "toolbar", "aria-label": "Actions for this run" }, ...buttons);
  }

  /** One chart per learning curve the run recorded (loss, val_loss…). */
  private curvesSection(page: RunPageData): HTMLElement {
    const names = [...new Set(page.curves.map((point) => point.name))].sort();
    if (!names.length) return section("Learning curves", h("p", { class: "hint" }, "This model reported no per-epoch figures."));
    const boxes = names.map((name) => {
      const points = page.curves.filter((point) => point.name === name && Number.isFinite(point.value)).map((point) => ({ x: point.step, y: point.value }));
      const canvas = h("canvas", { role: "img", "aria-label": `${name} by epoch` });
      const slot = new ChartSlot<"line", Point[]>(canvas);
      this.charts.push({ slot, draw: (theme) => slot.draw(curvesConfig([{ runId: page.runId, points, best: false, selected: true }], name, theme, () => undefined)) });
      return h("div", { class: "chart-box" }, canvas);
    });
    return section("Learning curves", ...boxes);
  }

  private trialsSection(page: RunPageData): HTMLElement {
    if (page.trials.length <= 1) return section("Search trials", h("p", { class: "hint" }, "No search: the run fitted one parameter set."));
    const data = trialsData(page.trials, metricDirection(page.metric));
    const canvas = h("canvas", { role: "img", "aria-label": `mean cross-validated ${page.metric} by trial` });
    const slot = new ChartSlot<"line", Point[]>(canvas);
    this.charts.push({ slot, draw: (theme) => slot.draw(trialsConfig(data, page.metric, theme)) });
    const bestTrial = data.best >= 0 ? data.points[data.best]?.x : undefined;
    const rows = page.trials.map((trial) => [
      `${trial.trial}${trial.trial === bestTrial ? " ★" : ""}`,
      h("span", { class: "mono" }, Object.entries(trial.params).map(([name, value]) => `${name}=${jsonText(value)}`).join(", ")),
      h("span", { class: "numeric mono" }, Number.isFinite(trial.score) ? formatFieldValue(trial.score) : "failed"),
    ]);
    return section("Search trials", h("div", { class: "chart-box" }, canvas), table(["trial", "parameters", `mean ${page.metric}`], rows));
  }

  private clearCharts(): void {
    this.charts.forEach((chart) => chart.slot.destroy());
    this.charts = [];
  }
}
