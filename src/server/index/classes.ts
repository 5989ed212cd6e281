import type { ComponentKind } from "../../core/components/component";
import type { ParamDescription } from "../../core/components/params";
import { BASE_CLASSES, builtinClass } from "../builtins/mlexpExports";
import type { ClassFact, NameRef, ParamFact, ParamsExpr, Span } from "../parse/facts";
import type { Resolved, SymbolResolver } from "./symbols";

/**
 * What a class is: a component of some kind, with the chain of classes up to mlexp's base
 * (`["TunedModel", "TabularModel", "Model"]`); definitely not a component ("none": it extends
 * nothing, or only classes that extend nothing); or "unknown" (its base comes from another package
 * or cannot be found), where the server stays quiet rather than guess.
 */
export type ClassKind =
  | { readonly kind: ComponentKind; readonly chain: readonly string[] }
  | { readonly kind: "none"; readonly chain: readonly string[] }
  | { readonly kind: "unknown"; readonly chain: readonly string[] };

export interface ParamInfo extends ParamDescription {
  /** Where the parameter is declared, for workspace classes. */
  readonly location?: { readonly file: string; readonly span: Span };
}

export interface ResolvedParams {
  readonly params: readonly ParamInfo[];
  /** False when part of the spec could not be followed: unknown keys then cannot be reported. */
  readonly complete: boolean;
}

const MAX_SPREAD_DEPTH = 16;
const NO_PARAMS: ResolvedParams = { params: [], complete: true };
const UNKNOWN_PARAMS: ResolvedParams = { params: [], complete: false };

/** Kinds and parameters of classes across files, cached for one link of the index. */
export class ClassLinker {
  private readonly kinds = new Map<ClassFact, ClassKind>();
  private readonly paramsCache = new Map<ClassFact, ResolvedParams>();
  // Separate guards: a class may be mid-way through both questions at once.
  private readonly kindsInProgress = new Set<ClassFact>();
  private readonly paramsInProgress = new Set<ClassFact>();

  constructor(private readonly symbols: SymbolResolver) {}

  kindOf(file: string, cls: ClassFact): ClassKind {
    const cached = this.kinds.get(cls);
    if (cached) return cached;
    if (this.kindsInProgress.has(cls)) return { kind: "unknown", chain: [cls.name] };
    this.kindsInProgress.add(cls);
    const kind = this.computeKind(file, cls);
    this.kindsInProgress.delete(cls);
    this.kinds.set(cls, kind);
    return kind;
  }

  private computeKind(file: string, cls: ClassFact): ClassKind {
    if (!cls.base) return { kind: "none", chain: [cls.name] };
    const target = this.symbols.resolveRef(file, cls.base);
    if (target.kind === "class") {
      const inner = this.kindOf(target.file, target.cls);
      return { ...inner, chain: [cls.name, ...inner.chain] };
    }
    const kind = target.kind === "mlexp" ? mlexpBaseKind(target.name) : undefined;
    const chain = [cls.name, cls.base.member ?? cls.base.name];
    return kind ? { kind, chain } : { kind: "unknown", chain };
  }

  paramsOf(file: string, cls: ClassFact): ResolvedParams {
    const cached = this.paramsCache.get(cls);
    if (cached) return cached;
    if (this.paramsInProgress.has(cls)) return UNKNOWN_PARAMS;
    this.paramsInProgress.add(cls);
    const params = cls.params ? this.evaluate(file, cls.params) : this.inherited(file, cls);
    this.paramsInProgress.delete(cls);
    this.paramsCache.set(cls, params);
    return params;
  }

  /** A class without `static params` has its base class's (Component's are empty). */
  private inherited(file: string, cls: ClassFact): ResolvedParams {
    if (!cls.base) return NO_PARAMS;
    return this.paramsOfTarget(this.symbols.resolveRef(file, cls.base));
  }

  private paramsOfTarget(target: Resolved): ResolvedParams {
    if (target.kind === "class") return this.paramsOf(target.file, target.cls);
    if (target.kind === "mlexp") {
      const builtin = builtinClass(target.name);
      if (builtin) return { params: builtin.params, complete: true };
      return Object.hasOwn(BASE_CLASSES, target.name) || target.name === "Component" ? NO_PARAMS : UNKNOWN_PARAMS;
    }
    return UNKNOWN_PARAMS;
  }

  /** `depth` ends cycles between constants (`const a = { ...b }; const b = { ...a }`). */
  private evaluate(file: string, expr: ParamsExpr, depth = 0): ResolvedParams {
    if (depth > MAX_SPREAD_DEPTH) return UNKNOWN_PARAMS;
    if (expr.kind === "ref") return this.evaluateRef(file, expr.ref, depth);
    if (expr.kind === "unknown") return UNKNOWN_PARAMS;
    // Object spread semantics: a later key replaces an earlier one.
    const merged = new Map<string, ParamInfo>();
    let complete = true;
    for (const entry of expr.entries) {
      if (entry.kind === "param") merged.set(entry.param.name, paramInfo(file, entry.param));
      else if (entry.kind === "unknown") complete = false;
      else {
        const spread = this.evaluateRef(file, entry.ref, depth);
        for (const param of spread.params) merged.set(param.name, param);
        complete &&= spread.complete;
      }
    }
    return { params: [...merged.values()], complete };
  }

  /** `specs` (a constant, maybe imported) or `Base.params` (another class's parameters). */
  private evaluateRef(file: string, ref: NameRef, depth: number): ResolvedParams {
    const target = this.symbols.resolveRef(file, ref);
    if (target.kind === "const" && target.constant.params) return this.evaluate(target.file, target.constant.params, depth + 1);
    if (ref.member === "params") return this.paramsOfTarget(this.symbols.resolveLocal(file, ref.name));
    return UNKNOWN_PARAMS;
  }
}

/**
 * A static string a class declares or inherits (`description`, `task`), as the runtime would read
 * it; undefined when neither the class nor a workspace base class declares it.
 */
export function inheritedStatic(symbols: SymbolResolver, file: string, cls: ClassFact, key: "description" | "task"): string | undefined {
  let current: { file: string; cls: ClassFact } | undefined = { file, cls };
  for (let depth = 0; current && depth < MAX_SPREAD_DEPTH; depth++) {
    const own = current.cls[key];
    if (own !== undefined) return own;
    const base: Resolved | undefined = current.cls.base ? symbols.resolveRef(current.file, current.cls.base) : undefined;
    if (base?.kind === "mlexp") return builtinClass(base.name)?.[key];
    current = base?.kind === "class" ? { file: base.file, cls: base.cls } : undefined;
  }
  return undefined;
}

function mlexpBaseKind(name: string): ComponentKind | undefined {
  if (Object.hasOwn(BASE_CLASSES, name)) return BASE_CLASSES[name];
  return builtinClass(name)?.kind;
}

/** Facts are immutable and replaced when their file is re-parsed, so their conversions can be kept. */
const PARAM_INFOS = new WeakMap<ParamFact, ParamInfo>();

function paramInfo(file: string, fact: ParamFact): ParamInfo {
  let info = PARAM_INFOS.get(fact);
  if (!info) {
    const { span, ...description } = fact;
    info = { ...description, location: { file, span } };
    PARAM_INFOS.set(fact, info);
  }
  return info;
}
