import type { ClassFact, SourceFacts } from "../parse/facts";
import { isConfigFile, ProjectMap, type Project } from "../workspace/projects";
import { ClassLinker, type ClassKind, type ResolvedParams } from "./classes";
import { resolveRegistration, type ComponentEntry, type LinkTools, type ResolvedRegistration } from "./registrations";
import { ProjectRegistry } from "./registry";
import type { SourceTable } from "./sourceTable";
import { SymbolResolver } from "./symbols";

export interface LinkedClass {
  readonly file: string;
  readonly cls: ClassFact;
  readonly kind: ClassKind;
  /** The names it is registered under (usually one; none for bases and unregistered classes). */
  readonly entries: readonly ComponentEntry[];
}

/**
 * The whole workspace linked: each mlexp workspace's registry, and for each class what it is and
 * how it is registered. Built from the parsed facts in a few milliseconds, so it is rebuilt after
 * every change rather than patched; only parsing is incremental.
 */
export class LinkedIndex {
  readonly projects: ProjectMap;
  private readonly tools: LinkTools;
  private readonly registries = new Map<string, ProjectRegistry>();
  private readonly byClass = new Map<ClassFact, ComponentEntry[]>();
  private readonly registrationsByFile = new Map<string, ResolvedRegistration[]>();
  private bases?: Set<ClassFact>;

  constructor(
    private readonly table: SourceTable,
    folders: readonly string[],
  ) {
    const paths = table.paths();
    this.projects = new ProjectMap(folders, paths.filter(isConfigFile));
    const symbols = new SymbolResolver(table, table.modules);
    this.tools = { symbols, classes: new ClassLinker(symbols) };
    for (const project of this.projects.projects) this.registries.set(project.root, new ProjectRegistry(project));
    for (const file of linkOrder(table.relevantPaths())) this.linkFile(file);
  }

  private linkFile(file: string): void {
    const facts = this.table.factsOf(file);
    if (!facts?.registrations.length) return;
    const registry = this.registryOf(file);
    const resolved = facts.registrations.map((fact) => resolveRegistration(file, fact, this.tools));
    this.registrationsByFile.set(file, resolved);
    for (const registration of resolved) {
      registry.addRegistration(registration);
      const declaration = registration.entry?.declaration;
      if (declaration) this.byClass.set(declaration.cls, [...(this.byClass.get(declaration.cls) ?? []), registration.entry]);
    }
  }

  /** Files that can hold registrations, lookups or training calls: the ones with diagnostics. */
  factsFiles(): readonly string[] {
    return this.table.relevantPaths();
  }

  factsOf(file: string): SourceFacts | undefined {
    return this.table.factsOf(file);
  }

  projectOf(file: string): Project {
    return this.projects.projectOf(file);
  }

  registryOf(file: string): ProjectRegistry {
    const project = this.projects.projectOf(file);
    let registry = this.registries.get(project.root);
    if (!registry) {
      registry = new ProjectRegistry(project);
      this.registries.set(project.root, registry);
    }
    return registry;
  }

  allRegistries(): ProjectRegistry[] {
    return [...this.registries.values()];
  }

  registrationsIn(file: string): readonly ResolvedRegistration[] {
    return this.registrationsByFile.get(file) ?? [];
  }

  classesIn(file: string): LinkedClass[] {
    const facts = this.table.factsOf(file);
    if (!facts) return [];
    return [...facts.classes.values()].map((cls) => this.linkedClass(file, cls));
  }

  paramsOfClass(file: string, cls: ClassFact): ResolvedParams {
    return this.tools.classes.paramsOf(file, cls);
  }

  /** Whether some workspace class extends this one (an intermediate base, not a component to train). */
  isBaseClass(cls: ClassFact): boolean {
    this.bases ??= this.collectBases();
    return this.bases.has(cls);
  }

  private collectBases(): Set<ClassFact> {
    const bases = new Set<ClassFact>();
    for (const file of this.table.relevantPaths()) {
      for (const cls of this.table.factsOf(file)?.classes.values() ?? []) {
        const base = cls.base && this.tools.symbols.resolveRef(file, cls.base);
        if (base && base.kind === "class") bases.add(base.cls);
      }
    }
    return bases;
  }

  linkedClass(file: string, cls: ClassFact): LinkedClass {
    return { file, cls, kind: this.tools.classes.kindOf(file, cls), entries: this.byClass.get(cls) ?? [] };
  }
}

/** Configs first: their registrations are the ones the runtime meets first. */
function linkOrder(paths: readonly string[]): string[] {
  return [...paths].sort((a, b) => Number(isConfigFile(b)) - Number(isConfigFile(a)) || (a < b ? -1 : a > b ? 1 : 0));
}
