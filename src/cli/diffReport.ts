import { formatValue } from "../core/diff/parameters";
import type { CodeDiff, ComponentChange, DataDiff, EnvironmentDiff, ParametersDiff, RowSample, RunDiff, ValueChange } from "../core/diff/types";
import { formatNumber } from "./output";

/** `mlexp diff` as text: the sentence, then one section per part, each saying what differs. */
export function formatRunDiff(diff: RunDiff): string[] {
  return [
    `A  ${diff.a.run_id}  ${diff.a.model_class}`,
    `B  ${diff.b.run_id}  ${diff.b.model_class}`,
    "",
    diff.summary,
    "",
    ...codeLines(diff.code),
    "",
    ...dataLines(diff.data),
    "",
    ...parameterLines(diff.parameters),
    "",
    ...environmentLines(diff.environment),
  ];
}

function codeLines(code: CodeDiff): string[] {
  if (code.status === "unknown") return [`Code: not compared (${code.reason})`];
  const components = code.components.filter((c) => c.status !== "builtin").map((c) => `  ${componentText(c)}`);
  if (code.status === "identical") return [`Code: identical (${code.commit.slice(0, 12)})`, ...components];
  return [
    `Code: ${code.files.length} file${code.files.length === 1 ? "" : "s"} changed, +${code.added} −${code.removed} (${code.commitA.slice(0, 12)} → ${code.commitB.slice(0, 12)})`,
    ...code.files.map((f) => `  ${f.status.padEnd(9)}${f.oldPath ? `${f.oldPath} → ` : ""}${f.path}  ${f.added === null ? "binary" : `+${f.added} −${f.removed}`}`),
    ...components,
  ];
}

function componentText(c: ComponentChange): string {
  const label = { model: "model", featureGenerator: "feature generator", dataAccessObject: "data access object" }[c.role];
  if (c.status === "replaced") return `${label}: ${c.a} → ${c.b}`;
  if (c.status === "changed") return `${label} ${c.b}: source changed (${c.file})`;
  return `${label} ${c.b}: source unchanged`;
}

function dataLines(data: DataDiff): string[] {
  if (data.status === "unknown") return [`Data: not compared (${data.reason})`];
  if (data.status === "identical") return [`Data: identical (${data.hash.slice(0, 12)}${data.rows === null ? "" : `, ${data.rows} rows`})`];
  const lines = [
    `Data: ${data.rowsA} → ${data.rowsB} rows: ${data.rowsAdded} added, ${data.rowsRemoved} removed, ${data.rowsChanged} changed${data.approximate ? " (matched by content)" : ""}`,
    `  read ${data.chunks.readA} + ${data.chunks.readB} chunks; ${data.chunks.sharedChunks} shared chunks not read`,
  ];
  if (data.columnsAdded.length) lines.push(`  columns added: ${data.columnsAdded.join(", ")}`);
  if (data.columnsRemoved.length) lines.push(`  columns removed: ${data.columnsRemoved.join(", ")}`);
  for (const c of data.columnsRetyped) lines.push(`  column ${c.name}: ${c.a} → ${c.b}`);
  if (data.targetA !== data.targetB) lines.push(`  target: ${data.targetA} → ${data.targetB}`);
  for (const shift of data.shifts) {
    const figures = [
      shift.mean && `mean ${formatNumber(shift.mean[0])} → ${formatNumber(shift.mean[1])}`,
      shift.std && `std ${formatNumber(shift.std[0])} → ${formatNumber(shift.std[1])}`,
      shift.missing && `missing ${shift.missing[0]} → ${shift.missing[1]}`,
      shift.categories && `categories ${shift.categories[0]} → ${shift.categories[1]}`,
    ].filter(Boolean);
    lines.push(`  ${shift.name}: ${figures.join(", ")}`);
  }
  if (data.sample.length) lines.push("  sample:", ...data.sample.map(sampleLine));
  return lines;
}

function sampleLine(row: RowSample): string {
  const show = (values: Record<string, unknown> | undefined, only?: string[]) =>
    Object.entries(values ?? {})
      .filter(([name]) => !only || only.includes(name))
      .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
      .join(" ");
  if (row.change === "changed") return `    changed  ${show(row.a, row.columns)}  →  ${show(row.b, row.columns)}`;
  return `    ${row.change.padEnd(8)} ${show(row.change === "added" ? row.b : row.a)}`;
}

function parameterLines(parameters: ParametersDiff): string[] {
  if (parameters.status === "identical") return ["Parameters: identical"];
  const group = (title: string, changes: ValueChange[]) => (changes.length ? [`  ${title}:`, ...changes.map((c) => `    ${c.name}: ${formatValue(c.a)} → ${formatValue(c.b)}`)] : []);
  const lines = [
    "Parameters:",
    ...group("components", parameters.components),
    ...group("model (as used)", parameters.model),
    ...group("model (as given)", parameters.modelGiven),
    ...group("feature generator", parameters.featureGenerator),
    ...group("dataset", parameters.dataset),
    ...group("settings", parameters.settings),
  ];
  const trial = parameters.chosenTrial;
  if (trial) {
    const text = (t: typeof trial.a) => (t ? `trial ${t.trial + 1} of ${t.of} (${formatNumber(t.score)})` : "no search");
    lines.push(`  chosen trial: ${text(trial.a)} → ${text(trial.b)}`);
  }
  return lines;
}

function environmentLines(environment: EnvironmentDiff): string[] {
  const note = environment.partial ? [`  (${environment.partial})`] : [];
  if (environment.status === "identical") return ["Environment: identical", ...note];
  return [
    "Environment:",
    ...environment.fields.map((c) => `  ${c.name}: ${formatValue(c.a)} → ${formatValue(c.b)}`),
    ...environment.dependencies.map((c) => `  ${c.name}: ${formatValue(c.a)} → ${formatValue(c.b)}`),
    ...note,
  ];
}
