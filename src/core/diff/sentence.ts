import type { CodeDiff, DataDiff, EnvironmentDiff, MetricChange, ParametersDiff, ValueChange } from "./types";

/**
 * The one sentence that comes first: "B differs from A in 2 model parameters, 1 file
 * (src/model.ts +12 −3) and 3% more rows; accuracy +0.012".
 */
export function summarise(
  parts: { code: CodeDiff; data: DataDiff; parameters: ParametersDiff; environment: EnvironmentDiff; metric: MetricChange | null },
  names: { a: string; b: string } = { a: "A", b: "B" },
): string {
  const phrases = [...parameterPhrases(parts.parameters), ...codePhrases(parts.code), ...dataPhrases(parts.data), ...environmentPhrases(parts.environment)];
  const unknown = [parts.code.status === "unknown" ? "code" : null, parts.data.status === "unknown" ? "data" : null].filter((part): part is string => part !== null);
  const head = phrases.length
    ? `${names.b} differs from ${names.a} in ${joinAnd(phrases)}`
    : `${names.b} does not differ from ${names.a} in ${unknown.length ? "what could be compared" : "code, data, parameters or environment"}`;
  const caveat = unknown.length ? ` (its ${joinAnd(unknown)} could not be compared)` : "";
  return `${head}${caveat}${metricPhrase(parts.metric)}`;
}

function parameterPhrases(parameters: ParametersDiff): string[] {
  const phrases: string[] = [];
  for (const change of parameters.components) phrases.push(`${COMPONENT_LABEL[change.name] ?? change.name} (${String(change.a)} → ${String(change.b)})`);
  if (parameters.model.length) phrases.push(countOf(parameters.model.length, "model parameter"));
  else if (parameters.modelGiven.length) phrases.push(countOf(parameters.modelGiven.length, "model parameter given"));
  if (parameters.featureGenerator.length) phrases.push(countOf(parameters.featureGenerator.length, "feature generator parameter"));
  if (parameters.dataset.length) phrases.push(countOf(parameters.dataset.length, "dataset parameter"));
  const settings = new Set(parameters.settings.map((change) => (change.name.startsWith("search.") ? "the search settings" : `the ${SETTING_LABEL[change.name] ?? change.name}`)));
  phrases.push(...settings);
  return phrases;
}

const COMPONENT_LABEL: Record<string, string> = { model: "the model", featureGenerator: "the feature generator", dataAccessObject: "the data access object" };
const SETTING_LABEL: Record<string, string> = { seed: "seed", metric: "metric", test_fraction: "test fraction" };

function codePhrases(code: CodeDiff): string[] {
  if (code.status !== "changed") return [];
  if (code.files.length === 1) {
    const [file] = code.files;
    return [`1 file (${file.path} ${file.added === null ? "binary" : lineCounts(file.added, file.removed ?? 0)})`];
  }
  return [`${countOf(code.files.length, "file")} (${lineCounts(code.added, code.removed)})`];
}

function lineCounts(added: number, removed: number): string {
  return `+${added} −${removed}`;
}

function dataPhrases(data: DataDiff): string[] {
  if (data.status !== "changed") return [];
  const phrases: string[] = [];
  if (data.rowsB !== data.rowsA) {
    const share = data.rowsA ? percent(Math.abs(data.rowsB - data.rowsA) / data.rowsA) : "";
    phrases.push(data.rowsA ? `${share} ${data.rowsB > data.rowsA ? "more" : "fewer"} rows` : countOf(data.rowsB, "row"));
  }
  if (data.rowsChanged) phrases.push(countOf(data.rowsChanged, "changed row"));
  if (data.rowsB === data.rowsA && (data.rowsAdded || data.rowsRemoved)) phrases.push(`${countOf(data.rowsAdded, "row")} replaced`);
  if (data.columnsAdded.length) phrases.push(countOf(data.columnsAdded.length, "added column"));
  if (data.columnsRemoved.length) phrases.push(countOf(data.columnsRemoved.length, "removed column"));
  if (data.columnsRetyped.length) phrases.push(countOf(data.columnsRetyped.length, "retyped column"));
  if (data.targetA !== data.targetB) phrases.push(`the target (${data.targetA} → ${data.targetB})`);
  return phrases.length ? phrases : ["its data"];
}

function environmentPhrases(environment: EnvironmentDiff): string[] {
  if (environment.status !== "changed") return [];
  const phrases: string[] = [];
  const fields = environment.fields.filter((field) => field.name !== "lockfile");
  if (fields.length && fields.length <= 2) phrases.push(...fields.map(versionPhrase));
  else if (fields.length) phrases.push(countOf(fields.length, "environment detail"));
  if (environment.dependencies.length === 1) phrases.push(versionPhrase(environment.dependencies[0]));
  else if (environment.dependencies.length) phrases.push(countOf(environment.dependencies.length, "dependency version"));
  else if (environment.fields.some((field) => field.name === "lockfile")) phrases.push("the lockfile");
  return phrases;
}

const FIELD_LABEL: Record<string, string> = { mlexp: "mlexp", node: "Node", electron: "Electron", os: "OS", arch: "architecture", tfjsBackend: "TensorFlow.js backend" };

function versionPhrase(change: ValueChange): string {
  const show = (value: unknown) => (value === null || value === undefined ? "none" : String(value));
  return `${FIELD_LABEL[change.name] ?? change.name} ${show(change.a)} → ${show(change.b)}`;
}

function metricPhrase(metric: MetricChange | null): string {
  if (!metric || metric.a === null || metric.b === null || metric.difference === null) return "";
  if (metric.difference === 0) return `; ${metric.name} unchanged`;
  const rounded = Number(metric.difference.toPrecision(2));
  return `; ${metric.name} ${rounded > 0 ? "+" : ""}${rounded}`;
}

export function percent(share: number): string {
  const value = share * 100;
  if (value >= 10) return `${Math.round(value)}%`;
  if (value >= 1) return `${Number(value.toFixed(1))}%`;
  return `${Number(value.toPrecision(1))}%`;
}

export function countOf(count: number, noun: string): string {
  return `${count.toLocaleString("en-US")} ${noun}${count === 1 ? "" : "s"}`;
}

export function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
