import type { ComponentKind } from "../../core/components/component";
import { builtinClass } from "../builtins/mlexpExports";
import type { ClassFact, RegistrationFact } from "../parse/facts";
import { inheritedStatic, type ClassKind, type ClassLinker, type ResolvedParams } from "./classes";
import type { Resolved, SymbolResolver } from "./symbols";

/** A name → class entry of a registry: a built-in, or a registration in the workspace. */
export interface ComponentEntry {
  readonly kind: ComponentKind;
  readonly name: string;
  readonly builtin: boolean;
  readonly className: string;
  readonly description: string;
  readonly task?: string;
  readonly params: ResolvedParams;
  readonly declaration?: { readonly file: string; readonly cls: ClassFact };
  readonly registration?: { readonly file: string; readonly fact: RegistrationFact };
  /**
   * The class does not extend what it is registered as: the registry refuses it at load time. It
   * still answers lookups (one mistake, one diagnostic) but gets no lens and no place in the view.
   */
  readonly refused?: boolean;
  /** Set when the class registered is one of mlexp's own (`registerModel("LR", LogisticRegression)`). */
  readonly mlexpClass?: string;
}

/** A registration call with its class argument followed to its declaration. */
export interface ResolvedRegistration {
  readonly file: string;
  readonly fact: RegistrationFact;
  readonly target: Resolved;
  /** What the class argument is, when it can be told. */
  readonly classKind: ClassKind;
  /** The kind it is registered as: the function's, or for `register(Cls)` the class's. */
  readonly kind?: ComponentKind;
  /** The registered name: the string given, or for `register(Cls)` the class name. */
  readonly name?: string;
  readonly entry?: ComponentEntry;
}

export interface LinkTools {
  readonly symbols: SymbolResolver;
  readonly classes: ClassLinker;
}

export function resolveRegistration(file: string, fact: RegistrationFact, tools: LinkTools): ResolvedRegistration {
  const target: Resolved = fact.cls ? tools.symbols.resolveRef(file, fact.cls) : { kind: "unresolved" };
  const classKind = kindOfTarget(target, tools);
  const className = classNameOf(target, fact);
  const kind = fact.kind ?? (isComponentKind(classKind.kind) ? classKind.kind : undefined);
  // register(Cls) registers under `Cls.name`, the name the class was declared with.
  const name = fact.name?.value ?? (fact.fn === "register" && !fact.nameComputed && className ? className : undefined);
  const base = { file, fact, target, classKind, kind, name };
  if (!kind || name === undefined) return base;
  const entry = entryOf(kind, name, className ?? "?", target, { file, fact }, tools);
  const refused = classKind.kind === "none" || (isComponentKind(classKind.kind) && classKind.kind !== kind);
  return { ...base, entry: refused ? { ...entry, refused } : entry };
}

function kindOfTarget(target: Resolved, tools: LinkTools): ClassKind {
  if (target.kind === "class") return tools.classes.kindOf(target.file, target.cls);
  const builtin = target.kind === "mlexp" ? builtinClass(target.name) : undefined;
  return builtin ? { kind: builtin.kind, chain: [builtin.className] } : { kind: "unknown", chain: [] };
}

function classNameOf(target: Resolved, fact: RegistrationFact): string | undefined {
  if (target.kind === "class") return target.cls.name;
  return fact.cls ? (fact.cls.member ?? fact.cls.name) : undefined;
}

export function isComponentKind(kind: string): kind is ComponentKind {
  return kind === "model" || kind === "featureGenerator" || kind === "dataAccessObject";
}

function entryOf(
  kind: ComponentKind,
  name: string,
  className: string,
  target: Resolved,
  registration: ComponentEntry["registration"],
  tools: LinkTools,
): ComponentEntry {
  const base = { kind, name, builtin: false, className, registration };
  if (target.kind === "class") {
    const { file, cls } = target;
    const task = kind === "model" ? (inheritedStatic(tools.symbols, file, cls, "task") ?? "classification") : undefined;
    return {
      ...base,
      description: inheritedStatic(tools.symbols, file, cls, "description") ?? "",
      ...(task ? { task } : {}),
      params: tools.classes.paramsOf(file, cls),
      declaration: { file, cls },
    };
  }
  const builtin = target.kind === "mlexp" ? builtinClass(target.name) : undefined;
  if (builtin) {
    return { ...base, description: builtin.description, task: builtin.task, params: { params: builtin.params, complete: true }, mlexpClass: builtin.className };
  }
  return { ...base, description: "", params: { params: [], complete: false } };
}
