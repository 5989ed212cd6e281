import { compareRuns } from "../../core/compare/compare";
import type { FieldValue } from "../../core/compare/fields";
import type { ModelRun } from "../../core/store/runRecord";
import { formatNumber } from "../util/format";
import { escapeCell, runTooltipMarkdown } from "./runTree";

/**
 * Read-only Markdown for "Show Run Details": one run's fields, or several runs side by side with the
 * fields they share stated once (the comparison panel is the interactive way to compare runs).
 */
export function runDetailsMarkdown(runs: readonly ModelRun[]): string {
  if (!runs.length) return "# No runs\n";
  if (runs.length === 1) return singleRun(runs[0]);
  return comparison(runs);
}

function singleRun(run: ModelRun): string {
  const extra = [
    ["model_params", run.model_params],
    ["feature_generator_params", run.feature_generator_params],
    ["dataset_params", run.dataset_params],
    ["search", run.search],
    ["details", run.details],
    ["reproduction", run.reproduction],
  ] as const;
  const sections = extra
    .filter(([, value]) => value !== null && value !== undefined && Object.keys(value).length > 0)
    .map(([name, value]) => `### ${name}\n\n\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\`\n`);
  return `# Run ${run.run_id}\n\n${runTooltipMarkdown(run)}\n${sections.join("\n")}`;
}

function comparison(runs: readonly ModelRun[]): string {
  const result = compareRuns(runs);
  const header = `| field | ${result.rows.map((row) => `\`${String(row.run_id)}\``).join(" | ")} |`;
  const divider = `| --- | ${result.rows.map(() => "---").join(" | ")} |`;
  const shown = ["status", ...result.differing.filter((field) => field !== "status")];
  const body = shown.map((field) => `| \`${field}\` | ${result.rows.map((row) => escapeCell(cell(row[field]))).join(" | ")} |`);
  const common = Object.entries(result.common).map(([field, value]) => `| \`${field}\` | ${escapeCell(cell(value))} |`);
  return [
    `# ${runs.length} runs compared`,
    "",
    "## What differs",
    "",
    header,
    divider,
    ...body,
    "",
    "## What they share",
    "",
    "| field | value |",
    "| --- | --- |",
    ...common,
    "",
  ].join("\n");
}

function cell(value: FieldValue | undefined): string {
  if (value === undefined || value === null) return "—";
  return typeof value === "number" ? formatNumber(value) : String(value);
}
