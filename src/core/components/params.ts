import { MlexpError } from "../util/errors";
import { isPlainObject, previewJson, type JsonValue } from "../util/json";
import { didYouMean } from "../util/suggest";

/**
 * Components declare their parameters as data, so that mlexp can validate them before a run
 * starts, fill in defaults, list them in the CLI and the sidebar, and tell a search space (an array
 * of values) from a single value.
 */
interface CommonSpec<T> {
  description?: string;
  default?: T;
  /** A parameter without a default that must be given. */
  required?: boolean;
}

export interface NumberSpec extends CommonSpec<number> {
  type: "number";
  integer?: boolean;
  min?: number;
  max?: number;
  /** When true, `min` itself is not allowed (e.g. a learning rate must be > 0). */
  exclusiveMin?: boolean;
}
export interface StringSpec extends CommonSpec<string> {
  type: "string";
  choices?: readonly string[];
}
export interface BooleanSpec extends CommonSpec<boolean> {
  type: "boolean";
}
export interface NumberArraySpec extends CommonSpec<number[]> {
  type: "number[]";
  integer?: boolean;
  min?: number;
  minLength?: number;
}
export interface StringArraySpec extends CommonSpec<string[]> {
  type: "string[]";
}

export type ParamSpec = NumberSpec | StringSpec | BooleanSpec | NumberArraySpec | StringArraySpec;
export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

type ValueOf<S extends ParamSpec> = S extends NumberSpec
  ? number
  : S extends StringSpec
    ? string
    : S extends BooleanSpec
      ? boolean
      : S extends NumberArraySpec
        ? number[]
        : string[];

type HasValue<S> = S extends { default: unknown } ? true : S extends { required: true } ? true : false;

/** The resolved parameter object a component receives, typed from its specs. */
export type ParamValues<S extends ParamSpecs> = {
  [K in keyof S]: HasValue<S[K]> extends true ? ValueOf<S[K]> : ValueOf<S[K]> | undefined;
};

export type RawParams = Record<string, unknown>;

/** Builders that keep the literal shape of a spec for `ParamValues`. */
export const param = {
  number: <S extends Omit<NumberSpec, "type">>(spec: S) => ({ type: "number", ...spec }) as S & { type: "number" },
  integer: <S extends Omit<NumberSpec, "type" | "integer">>(spec: S) =>
    ({ type: "number", integer: true, ...spec }) as S & { type: "number"; integer: true },
  string: <S extends Omit<StringSpec, "type">>(spec: S) => ({ type: "string", ...spec }) as S & { type: "string" },
  boolean: <S extends Omit<BooleanSpec, "type">>(spec: S) => ({ type: "boolean", ...spec }) as S & { type: "boolean" },
  numberArray: <S extends Omit<NumberArraySpec, "type">>(spec: S) =>
    ({ type: "number[]", ...spec }) as S & { type: "number[]" },
  stringArray: <S extends Omit<StringArraySpec, "type">>(spec: S) =>
    ({ type: "string[]", ...spec }) as S & { type: "string[]" },
};

/** Who the parameters belong to, for error messages: `model "LogisticRegression"`. */
export interface ParamOwner {
  kind: string;
  name: string;
}

/** Checks every given parameter, rejects unknown ones, and fills in defaults. */
export function resolveParams(specs: ParamSpecs, raw: unknown, owner: ParamOwner): Record<string, unknown> {
  const given = requireObject(raw, owner);
  rejectUnknownKeys(specs, given, owner);
  const resolved: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = given[name];
    if (value === undefined) {
      if (spec.required) throw paramError(owner, `parameter "${name}" is required (${describeType(spec)}).`);
      if (spec.default !== undefined) resolved[name] = cloneValue(spec.default);
      continue;
    }
    resolved[name] = checkValue(spec, value, name, owner);
  }
  return resolved;
}

function requireObject(raw: unknown, owner: ParamOwner): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (!isPlainObject(raw)) {
    throw paramError(owner, `parameters must be an object such as {"name": value}, got ${JSON.stringify(raw)}.`);
  }
  return raw;
}

export function rejectUnknownKeys(specs: ParamSpecs, given: Record<string, unknown>, owner: ParamOwner): void {
  const known = Object.keys(specs);
  for (const key of Object.keys(given)) {
    if (key in specs) continue;
    const list = known.length ? `It takes: ${known.join(", ")}.` : "It takes no parameters.";
    throw paramError(owner, `has no parameter "${key}".${didYouMean(key, known)} ${list}`);
  }
}

function checkValue(spec: ParamSpec, value: unknown, name: string, owner: ParamOwner): unknown {
  const problem = problemWith(spec, value);
  if (problem) throw paramError(owner, `parameter "${name}" ${problem}, got ${previewJson(value)}.`);
  return cloneValue(value);
}

/** Why `value` does not fit `spec`, or undefined when it does. */
export function problemWith(spec: ParamSpec, value: unknown): string | undefined {
  switch (spec.type) {
    case "number":
      return numberProblem(spec, value);
    case "string":
      if (typeof value !== "string") return "must be a string";
      if (spec.choices && !spec.choices.includes(value)) return `must be one of ${spec.choices.join(", ")}`;
      return undefined;
    case "boolean":
      return typeof value === "boolean" ? undefined : "must be true or false";
    case "number[]":
      return numberArrayProblem(spec, value);
    case "string[]":
      return Array.isArray(value) && value.every((v) => typeof v === "string") ? undefined : "must be an array of strings";
  }
}

function numberProblem(spec: NumberSpec, value: unknown): string | undefined {
  if (typeof value !== "number" || !Number.isFinite(value)) return `must be a ${spec.integer ? "whole " : ""}number`;
  if (spec.integer && !Number.isInteger(value)) return "must be a whole number";
  if (spec.min !== undefined && (value < spec.min || (spec.exclusiveMin && value === spec.min))) {
    return `must be ${spec.exclusiveMin ? "greater than" : "at least"} ${spec.min}`;
  }
  if (spec.max !== undefined && value > spec.max) return `must be at most ${spec.max}`;
  return undefined;
}

function numberArrayProblem(spec: NumberArraySpec, value: unknown): string | undefined {
  const kind = spec.integer ? "whole numbers" : "numbers";
  if (!Array.isArray(value)) return `must be an array of ${kind}`;
  if (spec.minLength !== undefined && value.length < spec.minLength) return `must hold at least ${spec.minLength} value(s)`;
  for (const item of value) {
    if (typeof item !== "number" || !Number.isFinite(item) || (spec.integer && !Number.isInteger(item))) {
      return `must be an array of ${kind}`;
    }
    if (spec.min !== undefined && item < spec.min) return `must hold values of at least ${spec.min}`;
  }
  return undefined;
}

export function paramError(owner: ParamOwner, detail: string): MlexpError {
  return new MlexpError(`Invalid parameters for ${owner.kind} "${owner.name}": ${detail}`, "invalid_params");
}

export function describeType(spec: ParamSpec): string {
  if (spec.type === "number") return spec.integer ? "integer" : "number";
  if (spec.type === "number[]" && spec.integer) return "integer[]";
  return spec.type;
}

function cloneValue<T>(value: T): T {
  return Array.isArray(value) ? (value.map(cloneValue) as T) : value;
}

/** A parameter as data, for listings, quick picks and tooltips. */
export interface ParamDescription {
  name: string;
  type: string;
  default?: JsonValue;
  required: boolean;
  description?: string;
  choices?: string[];
  min?: number;
  max?: number;
  /** `min` itself is not allowed. */
  exclusiveMin?: boolean;
  /** Arrays: the fewest values allowed. */
  minLength?: number;
}

export function describeParams(specs: ParamSpecs): ParamDescription[] {
  return Object.entries(specs).map(([name, spec]) => ({
    name,
    type: describeType(spec),
    ...(spec.default !== undefined ? { default: cloneValue(spec.default) as JsonValue } : {}),
    required: Boolean(spec.required),
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.type === "string" && spec.choices ? { choices: [...spec.choices] } : {}),
    ...("min" in spec && spec.min !== undefined ? { min: spec.min } : {}),
    ...(spec.type === "number" && spec.max !== undefined ? { max: spec.max } : {}),
    ...(spec.type === "number" && spec.exclusiveMin ? { exclusiveMin: true } : {}),
    ...(spec.type === "number[]" && spec.minLength !== undefined ? { minLength: spec.minLength } : {}),
  }));
}

/**
 * The spec back from its description (what the language server read from the source, say), so
 * that a description is checked by the very rules above; undefined for a type the describer could
 * not read, whose values are then not checked.
 */
export function specFromDescription(description: ParamDescription): ParamSpec | undefined {
  const common = {
    ...(description.default !== undefined ? { default: description.default } : {}),
    ...(description.required ? { required: true } : {}),
  };
  const { min, max, exclusiveMin, minLength, choices } = description;
  switch (description.type) {
    case "number":
    case "integer":
      return { type: "number", ...(description.type === "integer" ? { integer: true } : {}), ...common, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), ...(exclusiveMin ? { exclusiveMin } : {}) } as NumberSpec;
    case "string":
      return { type: "string", ...common, ...(choices ? { choices } : {}) } as StringSpec;
    case "boolean":
      return { type: "boolean", ...common } as BooleanSpec;
    case "number[]":
    case "integer[]":
      return { type: "number[]", ...(description.type === "integer[]" ? { integer: true } : {}), ...common, ...(min !== undefined ? { min } : {}), ...(minLength !== undefined ? { minLength } : {}) } as NumberArraySpec;
    case "string[]":
      return { type: "string[]", ...common } as StringArraySpec;
    default:
      return undefined;
  }
}
