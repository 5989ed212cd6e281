import type { FieldValue } from "./fields";
import { formatFieldValue } from "./format";

export type FilterOperator = "=" | "!=" | "<" | "<=" | ">" | ">=";

/** One whitespace-separated part of a filter query; a row must satisfy every term. */
export type FilterTerm = { kind: "text"; text: string; negate: boolean } | { kind: "field"; name: string; operator: FilterOperator; value: string };

export type RowPredicate = (row: Record<string, FieldValue>) => boolean;

/** Short names people type for the fixed fields. */
const ALIASES: Record<string, string> = {
  id: "run_id",
  run: "run_id",
  model: "model_class",
  features: "feature_generator_class",
  feature_generator: "feature_generator_class",
  dataset: "dataset_class",
  git: "githash",
  commit: "githash",
  start: "start_time",
  duration: "duration_s",
};

const FIELD_TERM = /^([A-Za-z_][\w.-]*?)(>=|<=|!=|=|>|<)(.*)$/;

/**
 * Parses a filter query. Plain words match anywhere in a run (field names and values, any case);
 * `-word` excludes runs that contain it; `name=value`, `name!=value`, `name>value` (and `<`, `<=`,
 * `>=`) test one field — by its full key (`params.learningRate`), its last part (`learningRate`,
 * `accuracy`) or a short alias (`model`, `dataset`, `git`). Double quotes keep spaces in a word.
 */
export function parseFilter(query: string): FilterTerm[] {
  const tokens = query.match(/(?:[^\s"]+|"[^"]*"?)+/g) ?? [];
  return tokens.map(parseToken).filter((term): term is FilterTerm => term !== undefined);
}

function parseToken(token: string): FilterTerm | undefined {
  const match = FIELD_TERM.exec(token);
  if (match) return { kind: "field", name: match[1], operator: match[2] as FilterOperator, value: unquote(match[3]) };
  const negate = token.startsWith("-") && token.length > 1;
  const text = unquote(negate ? token.slice(1) : token);
  return text ? { kind: "text", text: text.toLowerCase(), negate } : undefined;
}

function unquote(text: string): string {
  return text.replaceAll('"', "");
}

/** The keys a field term names: exact key, else keys ending in `.name`, else an alias (any case). */
export function resolveFieldKeys(name: string, keys: readonly string[]): string[] {
  const wanted = name.toLowerCase();
  const exact = keys.filter((key) => key.toLowerCase() === wanted);
  if (exact.length) return exact;
  const suffixed = keys.filter((key) => key.toLowerCase().endsWith(`.${wanted}`));
  if (suffixed.length) return suffixed;
  const alias = ALIASES[wanted];
  return alias && keys.includes(alias) ? [alias] : [];
}

/**
 * A predicate for `query` over rows whose fields are `keys`. A field term naming no known field is
 * read as plain text (so `dataset.path=a.csv` still finds runs even when typed for another table).
 */
export function compileFilter(query: string, keys: readonly string[]): RowPredicate {
  const tests = parseFilter(query).map((term) => compileTerm(term, keys));
  if (!tests.length) return () => true;
  return (row) => tests.every((test) => test(row));
}

function compileTerm(term: FilterTerm, keys: readonly string[]): RowPredicate {
  if (term.kind === "text") return textTest(term.text, term.negate);
  const fields = resolveFieldKeys(term.name, keys);
  if (!fields.length) return textTest(`${term.name}${term.operator}${term.value}`.toLowerCase(), false);
  const matches = valueTest(term.operator, term.value);
  // "!=" holds when no named field has the value; the others when any named field satisfies them.
  if (term.operator === "!=") return (row) => fields.every((field) => matches(row[field] ?? null));
  return (row) => fields.some((field) => matches(row[field] ?? null));
}

function textTest(text: string, negate: boolean): RowPredicate {
  return (row) => haystackOf(row).includes(text) !== negate;
}

const haystacks = new WeakMap<Record<string, FieldValue>, string>();

/** Every `key=value` of a row, raw and as displayed, lower-cased; computed once per row object. */
export function haystackOf(row: Record<string, FieldValue>): string {
  let text = haystacks.get(row);
  if (text === undefined) {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(row)) {
      if (value === null) continue;
      const shown = formatFieldValue(value);
      parts.push(`${key}=${String(value)}`, shown);
    }
    text = parts.join("\n").toLowerCase();
    haystacks.set(row, text);
  }
  return text;
}

function valueTest(operator: FilterOperator, wanted: string): (value: FieldValue) => boolean {
  const number = wanted.trim() === "" ? NaN : Number(wanted);
  const lower = wanted.toLowerCase();
  if (operator === "=" || operator === "!=") {
    const equal = (value: FieldValue) => equalsLoosely(value, number, lower);
    return operator === "=" ? equal : (value) => !equal(value);
  }
  return (value) => {
    const order = orderAgainst(value, number, wanted);
    if (order === undefined) return false;
    return operator === "<" ? order < 0 : operator === "<=" ? order <= 0 : operator === ">" ? order > 0 : order >= 0;
  };
}

/** Numbers equal numerically; text contains the value (any case), so `model=logistic` is enough. */
function equalsLoosely(value: FieldValue, number: number, lower: string): boolean {
  if (value === null) return lower === "";
  if (typeof value === "number") return !Number.isNaN(number) && value === number;
  return String(value).toLowerCase().includes(lower);
}

/** A cell against a bound: numerically, or as text for text cells (ISO dates order as text). */
function orderAgainst(value: FieldValue, number: number, wanted: string): number | undefined {
  if (value === null) return undefined;
  if (typeof value === "number") return Number.isNaN(number) || Number.isNaN(value) ? undefined : value - number;
  if (typeof value === "string") return value < wanted ? -1 : value > wanted ? 1 : 0;
  return undefined;
}
