import type { ComponentKind } from "../../core/components/component";
import { BUILTIN_COMPONENTS } from "../builtins/builtinCatalog";
import type { Project } from "../workspace/projects";
import type { ComponentEntry, ResolvedRegistration } from "./registrations";

export const COMPONENT_KINDS: readonly ComponentKind[] = ["model", "featureGenerator", "dataAccessObject"];

/**
 * The names an mlexp workspace would have once its config ran: the built-ins, then every
 * registration found in its files. Several entries under one name are kept, so that the duplicate
 * can be reported at each place.
 */
export class ProjectRegistry {
  private readonly tables: Record<ComponentKind, Map<string, ComponentEntry[]>> = {
    model: new Map(),
    featureGenerator: new Map(),
    dataAccessObject: new Map(),
  };
  /** Kinds with registrations the parser cannot name (computed names, classes of unknown kind). */
  private readonly uncertainKinds = new Set<ComponentKind>();
  readonly registrations: ResolvedRegistration[] = [];

  constructor(readonly project: Project) {
    for (const builtin of BUILTIN_COMPONENTS) {
      this.add({ ...builtin, builtin: true, params: { params: builtin.params, complete: true } });
    }
  }

  addRegistration(registration: ResolvedRegistration): void {
    this.registrations.push(registration);
    if (registration.entry) this.add(registration.entry);
    else if (registration.kind) this.uncertainKinds.add(registration.kind);
    // register(x) with a class of unknown kind could be any kind.
    else if (registration.classKind.kind === "unknown") for (const kind of COMPONENT_KINDS) this.uncertainKinds.add(kind);
  }

  private add(entry: ComponentEntry): void {
    const table = this.tables[entry.kind];
    const existing = table.get(entry.name);
    if (existing) existing.push(entry);
    else table.set(entry.name, [entry]);
  }

  /** The entry a lookup gets: the first registered under the name. */
  get(kind: ComponentKind, name: string): ComponentEntry | undefined {
    return this.tables[kind].get(name)?.[0];
  }

  /** Every entry under a name, more than one when it is registered twice. */
  all(kind: ComponentKind, name: string): readonly ComponentEntry[] {
    return this.tables[kind].get(name) ?? [];
  }

  names(kind: ComponentKind): string[] {
    return [...this.tables[kind].keys()];
  }

  /** One entry per name and kind, built-ins first; registrations the registry would refuse are left out. */
  components(): ComponentEntry[] {
    return COMPONENT_KINDS.flatMap((kind) => [...this.tables[kind].values()].map((entries) => entries[0])).filter((entry) => !entry.refused);
  }

  isUncertain(kind: ComponentKind): boolean {
    return this.uncertainKinds.has(kind);
  }
}
