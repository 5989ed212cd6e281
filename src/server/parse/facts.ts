/**
 * What the parser extracts from one source file: plain data with character offsets, independent of
 * every other file. Linking facts across files (imports, base classes, registrations) happens in
 * src/server/index, so an edit re-parses one file only.
 */
import type { ComponentKind } from "../../core/components/component";
import type { JsonValue } from "../../core/util/json";

/** Character offsets into the file's text, end exclusive. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A name as written in code: `Model`, or `mlexp.Model` (name "mlexp", member "Model"). */
export interface NameRef {
  readonly name: string;
  readonly member?: string;
  readonly span: Span;
}

/** `import { imported as local } from "module"`; `imported` is "default" or "*" for namespaces. */
export interface ImportFact {
  readonly local: string;
  readonly module: string;
  readonly imported: string;
}

/**
 * One exported name: of a local declaration (`local`), or re-exported from another module
 * (`module` + `imported`). `export * from "m"` has `exported` "*".
 */
export interface ExportFact {
  readonly exported: string;
  readonly local?: string;
  readonly module?: string;
  readonly imported?: string;
}

/** A string literal: its value, the span of its content (inside the quotes) and of the literal. */
export interface StringFact {
  readonly value: string;
  readonly span: Span;
  readonly literal: Span;
  /** Written as a constant's name (`registerModel(NAME, Cls)`): the span is the identifier's. */
  readonly viaConstant?: boolean;
}

/** One declared parameter, described like `describeParams` does, with where it is declared. */
export interface ParamFact {
  readonly name: string;
  readonly span: Span;
  readonly type: string;
  readonly default?: JsonValue;
  readonly required: boolean;
  readonly description?: string;
  readonly choices?: string[];
  readonly min?: number;
  readonly max?: number;
}

export type ParamsEntry =
  | { readonly kind: "param"; readonly param: ParamFact }
  /** `...otherSpecs` or `...Base.params`. */
  | { readonly kind: "spread"; readonly ref: NameRef }
  /** Something the parser cannot evaluate: the parameter list is then incomplete. */
  | { readonly kind: "unknown" };

/** The value of `static params = …`, or of a constant it refers to. */
export type ParamsExpr =
  | { readonly kind: "object"; readonly entries: readonly ParamsEntry[] }
  | { readonly kind: "ref"; readonly ref: NameRef }
  | { readonly kind: "unknown" };

export interface ClassFact {
  readonly name: string;
  readonly nameSpan: Span;
  /** Where the declaration starts (decorators and modifiers included): the CodeLens line. */
  readonly start: number;
  readonly base?: NameRef;
  readonly isAbstract: boolean;
  /** Absent when the class declares no `static params` (it inherits its base class's). */
  readonly params?: ParamsExpr;
  readonly description?: string;
  readonly task?: string;
}

/** A top-level `const` whose value may matter: a parameter spec object or a name string. */
export interface ConstFact {
  readonly name: string;
  readonly span: Span;
  readonly params?: ParamsExpr;
  readonly text?: string;
}

export type RegistrationFunction = "registerModel" | "registerFeatureGenerator" | "registerDataAccessObject" | "register";

/** `registerModel("Name", Cls)`, `register(Cls)`, `register(Cls, "Name")`. */
export interface RegistrationFact {
  readonly fn: RegistrationFunction;
  /** The kind the function registers as; absent for `register`, which goes by the base class. */
  readonly kind?: ComponentKind;
  /** The name string; absent when it is the class name (`register(Cls)`) or computed. */
  readonly name?: StringFact;
  /** The name is an expression the parser cannot evaluate. */
  readonly nameComputed: boolean;
  readonly cls?: NameRef;
  readonly callee: Span;
  /** The callee is written as the function's own name (not an alias): a quick fix may rename it. */
  readonly calleeIsName: boolean;
  readonly call: Span;
}

/** A name looked up: `getModel("Name")`, or a string given to `trainModel({ modelClass: "Name" })`. */
export interface LookupFact {
  readonly kind: ComponentKind;
  readonly name: StringFact;
}

/** The keys of a `modelParams: { … }` object. */
export interface ParamKeysFact {
  readonly keys: readonly { readonly name: string; readonly span: Span }[];
  /** The object literal, braces included. */
  readonly span: Span;
  /** Spans of the values, where completing a key makes no sense. */
  readonly values: readonly Span[];
  /** False when it has spreads or computed keys: unknown keys then cannot be told. */
  readonly complete: boolean;
}

/** A component chosen in a `trainModel({ … })` call and the parameters given to it. */
export interface TrainChoice {
  readonly name?: StringFact;
  readonly params?: ParamKeysFact;
}

export interface TrainCallFact {
  readonly span: Span;
  readonly choices: Readonly<Record<ComponentKind, TrainChoice>>;
}

export interface SourceFacts {
  readonly imports: ReadonlyMap<string, ImportFact>;
  readonly exports: readonly ExportFact[];
  readonly classes: ReadonlyMap<string, ClassFact>;
  readonly constants: ReadonlyMap<string, ConstFact>;
  readonly registrations: readonly RegistrationFact[];
  readonly lookups: readonly LookupFact[];
  readonly trainCalls: readonly TrainCallFact[];
}

export function contains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}
