import { MlexpError } from "../util/errors";
import { didYouMean } from "../util/suggest";
import { KIND_LABELS, type ComponentKind } from "./component";
import { DataAccessObject, type DataAccessObjectClass } from "./dataAccessObject";
import { FeatureGenerator, type FeatureGeneratorClass } from "./featureGenerator";
import { Model, type ModelClass } from "./model";

export interface ClassOfKind {
  model: ModelClass;
  featureGenerator: FeatureGeneratorClass;
  dataAccessObject: DataAccessObjectClass;
}

export type AnyComponentClass = ClassOfKind[ComponentKind];

export interface RegistryEntry<K extends ComponentKind = ComponentKind> {
  kind: K;
  name: string;
  cls: ClassOfKind[K];
  builtin: boolean;
}

const BASES: Record<ComponentKind, abstract new (...args: never[]) => unknown> = {
  model: Model,
  featureGenerator: FeatureGenerator,
  dataAccessObject: DataAccessObject,
};

/** Names → component classes, one table per kind. */
export class Registry {
  private readonly tables: { [K in ComponentKind]: Map<string, RegistryEntry<K>> } = {
    model: new Map(),
    featureGenerator: new Map(),
    dataAccessObject: new Map(),
  };

  register<K extends ComponentKind>(kind: K, name: string, cls: ClassOfKind[K], builtin = false): void {
    checkName(kind, name);
    checkExtends(kind, name, cls);
    const existing = this.tables[kind].get(name);
    if (existing && existing.cls !== cls) {
      throw new MlexpError(
        `The ${KIND_LABELS[kind]} name "${name}" is registered twice (${existing.builtin ? "the built-in one" : `class ${existing.cls.name}`} and class ${cls.name}).`,
        "invalid_config",
        "Give one of them another name.",
      );
    }
    this.tables[kind].set(name, { kind, name, cls, builtin });
  }

  get<K extends ComponentKind>(kind: K, name: string): ClassOfKind[K] {
    const entry = this.tables[kind].get(name);
    if (entry) return entry.cls;
    const names = this.names(kind);
    throw new MlexpError(
      `Unknown ${KIND_LABELS[kind]} "${name}".${didYouMean(name, names)}`,
      "unknown_component",
      `Registered ${KIND_LABELS[kind]}s: ${names.join(", ") || "(none)"}.`,
    );
  }

  has(kind: ComponentKind, name: string): boolean {
    return this.tables[kind].has(name);
  }

  names(kind: ComponentKind): string[] {
    return [...this.tables[kind].keys()];
  }

  entries<K extends ComponentKind>(kind: K): RegistryEntry<K>[] {
    return [...this.tables[kind].values()];
  }

  /** The name a class is registered under, if it is. */
  nameOf(kind: ComponentKind, cls: AnyComponentClass): string | undefined {
    for (const entry of this.tables[kind].values()) if (entry.cls === cls) return entry.name;
    return undefined;
  }

  /** A copy to which more components can be added without changing this one. */
  clone(): Registry {
    const copy = new Registry();
    for (const kind of Object.keys(this.tables) as ComponentKind[]) {
      for (const entry of this.tables[kind].values()) copy.register(kind, entry.name, entry.cls, entry.builtin);
    }
    return copy;
  }
}

function checkName(kind: ComponentKind, name: string): void {
  if (typeof name !== "string" || !/^[A-Za-z_][\w.-]*$/.test(name)) {
    throw new MlexpError(
      `Cannot register ${KIND_LABELS[kind]} under the name ${JSON.stringify(name)}.`,
      "invalid_config",
      "Use letters, digits, '_', '.' or '-', starting with a letter.",
    );
  }
}

function checkExtends(kind: ComponentKind, name: string, cls: unknown): void {
  const base = BASES[kind];
  if (typeof cls === "function" && cls.prototype instanceof base) return;
  const what = typeof cls === "function" ? `class ${cls.name}` : JSON.stringify(cls);
  throw new MlexpError(
    `Cannot register ${what} as the ${KIND_LABELS[kind]} "${name}": it does not extend ${base.name}.`,
    "invalid_config",
    `Declare it as \`class ${typeof cls === "function" ? cls.name : name} extends ${base.name}\`.`,
  );
}

/** Which kind a class is, from its base class; undefined when it extends none of them. */
export function kindOfClass(cls: unknown): ComponentKind | undefined {
  if (typeof cls !== "function") return undefined;
  for (const kind of Object.keys(BASES) as ComponentKind[]) if (cls.prototype instanceof BASES[kind]) return kind;
  return undefined;
}
