import { registerBuiltins } from "./builtins";
import type { DataAccessObjectClass } from "./components/dataAccessObject";
import type { FeatureGeneratorClass } from "./components/featureGenerator";
import type { ModelClass } from "./components/model";
import { kindOfClass, Registry, type AnyComponentClass } from "./components/registry";
import { MlexpError } from "./util/errors";

/**
 * The registry that `registerModel(...)` and `getModel(...)` use. Loading a workspace's
 * `mlexp.config.ts` swaps in a fresh registry (built-ins plus that workspace's components) so that
 * two versions of the same workspace — today's and a reproduced run's — never mix.
 */
let builtins: Registry | undefined;
let active: Registry | undefined;

export function builtinRegistry(): Registry {
  if (!builtins) {
    builtins = new Registry();
    registerBuiltins(builtins);
  }
  return builtins;
}

export function activeRegistry(): Registry {
  active ??= builtinRegistry().clone();
  return active;
}

/** Runs `fn` with `registry` as the active one, restoring the previous one afterwards. */
export async function withActiveRegistry<T>(registry: Registry, fn: () => T | Promise<T>): Promise<T> {
  const previous = active;
  active = registry;
  try {
    return await fn();
  } finally {
    active = previous;
  }
}

export function registerModel(name: string, cls: ModelClass): void {
  activeRegistry().register("model", name, cls);
}

export function registerFeatureGenerator(name: string, cls: FeatureGeneratorClass): void {
  activeRegistry().register("featureGenerator", name, cls);
}

export function registerDataAccessObject(name: string, cls: DataAccessObjectClass): void {
  activeRegistry().register("dataAccessObject", name, cls);
}

/** Registers any component under `name` (default: its class name), by the base class it extends. */
export function register(cls: AnyComponentClass, name: string = cls.name): void {
  const kind = kindOfClass(cls);
  if (!kind) {
    throw new MlexpError(
      `Cannot register ${typeof cls === "function" ? `class ${cls.name}` : String(cls)}: it extends none of Model, FeatureGenerator, DataAccessObject.`,
      "invalid_config",
    );
  }
  activeRegistry().register(kind, name, cls as never);
}

export function getModel(name: string): ModelClass {
  return activeRegistry().get("model", name);
}

export function getFeatureGenerator(name: string): FeatureGeneratorClass {
  return activeRegistry().get("featureGenerator", name);
}

export function getDataAccessObject(name: string): DataAccessObjectClass {
  return activeRegistry().get("dataAccessObject", name);
}
