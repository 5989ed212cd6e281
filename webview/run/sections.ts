import type { JsonValue } from "../../src/core/util/json";
import type { ComponentParams, ReproductionRow, RunPageData } from "../../src/protocol/runPage";
import { formatDuration, formatFieldValue } from "../../src/shared/compare/format";
import { h } from "../compare/dom";

// The run page's sections as DOM, from data only (text is always set as text).

export function section(title: string, ...children: (Node | string | null)[]): HTMLElement {
  return h("section", { class: "run-section", "aria-label": title }, h("h2", { class: "section-title" }, title), ...children);
}

/** A two-column list of facts ("seed 42"). */
export function facts(rows: Array<[string, string | Node]>): HTMLElement {
  const list = h("dl", { class: "facts" });
  for (const [name, value] of rows) list.append(h("dt", {}, name), h("dd", {}, value));
  return list;
}

export function table(headers: string[], rows: Array<Array<string | Node>>, className = ""): HTMLElement {
  return h(
    "table",
    { class: `run-table ${className}`.trim() },
    h("thead", {}, h("tr", {}, ...headers.map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", {}, ...rows.map((cells) => h("tr", {}, ...cells.map((cell) => h("td", {}, cell))))),
  );
}

export function jsonText(value: JsonValue | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return formatFieldValue(value);
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function metricsSection(page: RunPageData): HTMLElement {
  if (!page.metrics.length) return section("Metrics", h("p", { class: "hint" }, page.status === "running" ? "Metrics come when the run finishes." : "This run recorded no metrics."));
  const rows = page.metrics.map((metric) => [h("span", { class: metric.name === page.metric ? "chosen" : "" }, metric.name === page.metric ? `${metric.name} (ranked by)` : metric.name), h("span", { class: "numeric mono" }, formatFieldValue(metric.value))]);
  return section("Metrics", table(["metric", "value on the held-out data"], rows, "metrics-table"));
}

export function paramsSection(params: readonly ComponentParams[]): HTMLElement {
  const blocks = params.map((component) => {
    const rows = component.rows.map((row) => [
      h("span", { class: "mono" }, row.name),
      h("span", { class: "mono" }, jsonText(row.value)),
      h("span", { class: "mono hint" }, row.default === undefined ? "—" : jsonText(row.default)),
      h(
        "span",
        {},
        row.isDefault ? h("span", { class: "hint" }, "default") : h("span", { class: "changed" }, "changed"),
        row.given !== undefined ? h("span", { class: "hint" }, ` · searched ${jsonText(row.given)}`) : null,
      ),
    ]);
    return h(
      "div",
      { class: "component-params" },
      h("h3", {}, `${component.role}: `, h("span", { class: "mono" }, component.name)),
      rows.length ? table(["parameter", "value", "default", ""], rows) : h("p", { class: "hint" }, "No parameters."),
    );
  });
  return section("Parameters", ...blocks);
}

export function codeSection(page: RunPageData): HTMLElement {
  const { code } = page;
  if (!code.githash) return section("Code", h("p", { class: "hint" }, "Trained outside a git repository: the run's code was not recorded, so it cannot be checked out or reproduced from it."));
  const state = code.dirty ? "a snapshot of uncommitted changes (kept under refs/mlexp/runs)" : "the commit as it was (a clean working tree)";
  return section(
    "Code",
    facts([
      ["commit", h("span", { class: "mono" }, code.githash)],
      ["working tree", code.dirty ? h("span", { class: "changed" }, `dirty: ${state}`) : `clean: ${state}`],
      ["based on", h("span", { class: "mono" }, code.baseCommit ?? "— (no commit yet)")],
      ["folder in the repository", code.workspacePath ? h("span", { class: "mono" }, code.workspacePath) : "the repository's top"],
    ]),
  );
}

export function datasetSection(page: RunPageData): HTMLElement {
  return section(
    "Dataset",
    facts([
      ["data access object", h("span", { class: "mono" }, page.dataset.name)],
      ["rows", page.dataset.rows === null ? "—" : page.dataset.rows.toLocaleString()],
      ["content hash", h("span", { class: "mono" }, page.dataset.hash ?? "— (not stored)")],
      ["split", `${Math.round(page.testFraction * 100)}% held out for evaluation, seed ${page.seed}`],
      ["search", page.search.trials > 1 ? `${page.search.strategy}, ${page.search.trials} trials, ${page.search.cv}-fold cross-validation` : "none (one parameter set)"],
      ...(page.backend ? ([["TensorFlow.js backend", page.backend]] as Array<[string, string]>) : []),
    ]),
  );
}

const VERDICT_WORDS: Record<string, string> = { identical: "identical", within_tolerance: "within tolerance", different: "different" };

export function reproductionsSection(page: RunPageData): HTMLElement {
  if (!page.reproductions.length) {
    return section("Reproductions", h("p", { class: "hint" }, page.status === "finished" ? "Not reproduced yet: Reproduce trains again from this run's code, parameters and stored data and checks that the metrics match." : "Only finished runs can be reproduced."));
  }
  const rows = page.reproductions.map((row: ReproductionRow) => [
    h("span", { class: `verdict verdict-${row.verdict}` }, VERDICT_WORDS[row.verdict] ?? row.verdict),
    h("span", {}, row.isOriginal ? "this run reproduces " : "reproduced as ", h("span", { class: "mono" }, row.runId)),
    new Date(row.startTime).toLocaleString(),
  ]);
  return section("Reproductions", table(["verdict", "run", "when"], rows));
}

export function artifactsSection(page: RunPageData): HTMLElement {
  const { folder, files } = page.artifacts;
  if (!files.length) return section("Artifacts", h("p", { class: "hint" }, `No files in ${folder}.`));
  const rows = files.map((file) => [h("span", { class: "mono" }, file.path), h("span", { class: "numeric" }, bytesText(file.bytes))]);
  return section("Artifacts", h("p", { class: "hint mono" }, folder), table(["file", "size"], rows));
}

function bytesText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function summaryLine(page: RunPageData): string {
  const started = new Date(page.startTime);
  const took = page.endTime ? formatDuration((Date.parse(page.endTime) - started.getTime()) / 1000) : "";
  return [page.runId, `started ${started.toLocaleString()}`, took ? `took ${took}` : "", page.task].filter(Boolean).join(" · ");
}
