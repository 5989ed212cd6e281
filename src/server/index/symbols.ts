import { isMlexpExport } from "../builtins/mlexpExports";
import type { ClassFact, ConstFact, NameRef, SourceFacts } from "../parse/facts";
import { resolveModule, type ModuleTarget } from "./moduleResolver";

/** What a name in a file stands for, after following imports and re-exports. */
export type Resolved =
  | { readonly kind: "class"; readonly file: string; readonly cls: ClassFact }
  | { readonly kind: "const"; readonly file: string; readonly constant: ConstFact }
  | { readonly kind: "namespace"; readonly file: string }
  /** Something mlexp exports (`Model`, `param`…), "*" for the whole module. */
  | { readonly kind: "mlexp"; readonly name: string }
  | { readonly kind: "external" }
  | { readonly kind: "unresolved" };

const EXTERNAL: Resolved = { kind: "external" };
const UNRESOLVED: Resolved = { kind: "unresolved" };

/** What the resolver needs from the index: facts (parsed on demand) and which files exist. */
export interface SourceAccess {
  factsOf(file: string): SourceFacts | undefined;
  has(file: string): boolean;
}

/**
 * Resolved import specifiers. They depend only on which files exist, not on their text, so the
 * cache outlives a link and is dropped only when files are created or deleted.
 */
export type ModuleCache = Map<string, ModuleTarget>;

/**
 * Follows names across files: local declarations, imports (ES and CommonJS), `export { } from`,
 * `export *` and namespace imports. An edit builds a new resolver, which is cheap because parsing
 * and module resolution are cached outside it.
 */
export class SymbolResolver {
  constructor(
    private readonly sources: SourceAccess,
    private readonly modules: ModuleCache = new Map(),
  ) {}

  /** `Name` or `ns.Name` as written in `file`. */
  resolveRef(file: string, ref: NameRef): Resolved {
    const target = this.resolveLocal(file, ref.name);
    if (ref.member === undefined) return target;
    if (target.kind === "namespace") return this.resolveExport(target.file, ref.member, new Set());
    if (target.kind === "mlexp" && target.name === "*") return { kind: "mlexp", name: ref.member };
    return target.kind === "external" ? EXTERNAL : UNRESOLVED;
  }

  resolveLocal(file: string, name: string): Resolved {
    const facts = this.sources.factsOf(file);
    if (!facts) return UNRESOLVED;
    const cls = facts.classes.get(name);
    if (cls) return { kind: "class", file, cls };
    const constant = facts.constants.get(name);
    if (constant) return { kind: "const", file, constant };
    const imported = facts.imports.get(name);
    if (!imported) return UNRESOLVED;
    return this.resolveImport(file, imported.module, imported.imported, new Set());
  }

  private resolveImport(from: string, specifier: string, imported: string, seen: Set<string>): Resolved {
    const target = this.module(from, specifier);
    if (target.kind === "mlexp") return { kind: "mlexp", name: imported };
    if (target.kind === "external") return EXTERNAL;
    if (imported === "*") return { kind: "namespace", file: target.path };
    return this.resolveExport(target.path, imported, seen);
  }

  /** What `file` exports under `name`, following re-exports (cycles end as unresolved). */
  resolveExport(file: string, name: string, seen: Set<string>): Resolved {
    const key = `${file}\0${name}`;
    if (seen.has(key)) return UNRESOLVED;
    seen.add(key);
    const facts = this.sources.factsOf(file);
    if (!facts) return UNRESOLVED;
    for (const fact of facts.exports) {
      if (fact.exported !== name) continue;
      if (fact.module !== undefined) return this.resolveImport(file, fact.module, fact.imported ?? name, seen);
      if (fact.local !== undefined) return this.resolveLocal(file, fact.local);
    }
    return this.resolveStarExports(file, facts, name, seen);
  }

  private resolveStarExports(file: string, facts: SourceFacts, name: string, seen: Set<string>): Resolved {
    for (const fact of facts.exports) {
      if (fact.exported !== "*" || fact.module === undefined) continue;
      if (this.module(file, fact.module).kind === "mlexp" && !isMlexpExport(name)) continue;
      const resolved = this.resolveImport(file, fact.module, name, seen);
      if (resolved.kind !== "unresolved") return resolved;
    }
    return UNRESOLVED;
  }

  private module(from: string, specifier: string): ModuleTarget {
    const key = `${from}\0${specifier}`;
    let target = this.modules.get(key);
    if (!target) {
      target = resolveModule(from, specifier, (file) => this.sources.has(file));
      this.modules.set(key, target);
    }
    return target;
  }
}
