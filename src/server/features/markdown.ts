import type { ParamInfo } from "../index/classes";
import type { ComponentEntry } from "../index/registrations";
import type { RunSummary } from "../../protocol/language";
import { describeRuns } from "../runs/runSummary";
import { kindLabel } from "./problems";

/**
 * The text of hovers and completion documentation: what a component is, its parameters (as
 * `mlexp list` shows them) and, for models, its runs.
 */
export function componentMarkdown(entry: ComponentEntry, where: string | undefined, runs: RunSummary | undefined): string {
  const origin = entry.builtin ? "built-in" : where ? `class \`${entry.className}\` in \`${where}\`` : `class \`${entry.className}\``;
  const task = entry.task ? ` · ${entry.task}` : "";
  const lines = [`**${entry.name}** — ${kindLabel(entry.kind)}${task} · ${origin}`];
  if (entry.description) lines.push("", entry.description);
  lines.push("", ...paramsTable(entry.params.params));
  if (!entry.params.complete) lines.push("", "_Some parameters come from code the language server cannot follow._");
  if (entry.kind === "model") lines.push("", `Runs: ${describeRuns(runs)}`);
  return lines.join("\n");
}

function paramsTable(params: readonly ParamInfo[]): string[] {
  if (!params.length) return ["No parameters."];
  return [
    "| Parameter | Type | Default | |",
    "| --- | --- | --- | --- |",
    ...params.map((p) => `| \`${p.name}\` | ${p.type} | ${defaultText(p)} | ${cell(notes(p))} |`),
  ];
}

function defaultText(param: ParamInfo): string {
  if (param.default !== undefined) return `\`${JSON.stringify(param.default)}\``;
  return param.required ? "required" : "—";
}

function notes(param: ParamInfo): string {
  const range = rangeText(param);
  const choices = param.choices?.length ? `one of ${param.choices.join(", ")}` : "";
  return [param.description ?? "", range, choices].filter(Boolean).join(" · ");
}

function rangeText(param: ParamInfo): string {
  if (param.min !== undefined && param.max !== undefined) return `${param.min} … ${param.max}`;
  if (param.min !== undefined) return `≥ ${param.min}`;
  return param.max !== undefined ? `≤ ${param.max}` : "";
}

/** Pipes and line breaks would break the table. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export function paramMarkdown(param: ParamInfo, owner: ComponentEntry): string {
  const head = `**${param.name}**: ${param.type}${param.default !== undefined ? ` = ${JSON.stringify(param.default)}` : param.required ? " (required)" : ""}`;
  const extra = [rangeText(param), param.choices?.length ? `one of ${param.choices.join(", ")}` : ""].filter(Boolean).join(" · ");
  return [head, param.description ?? "", extra, `Parameter of the ${kindLabel(owner.kind)} "${owner.name}".`].filter(Boolean).join("\n\n");
}

/** One line for completion lists: "model · shrinkage, temperature". */
export function componentDetail(entry: ComponentEntry): string {
  const names = entry.params.params.map((p) => p.name);
  const params = names.length ? names.join(", ") : "no parameters";
  return `${kindLabel(entry.kind)}${entry.builtin ? " (built-in)" : ""} · ${params}`;
}
