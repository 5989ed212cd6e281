import { AsyncLocalStorage } from "node:async_hooks";
import { registerBuiltins } from "./builtins";
import type { DataAccessObjectClass } from "./components/dataAccessObject";
import type { FeatureGeneratorClass } from "./components/featureGenerator";
import type { ModelClass } from "./components/model";
import { kindOfClass, Registry, type AnyComponentClass } from "./components/registry";
import { MlexpError } from "./util/errors";

/**
 * The registry that `registerModel(...)` and `getModel(...)` use. Loading a workspace's
 * `mlexp.config.ts` runs it with a fresh registry (built-ins plus that workspace's components) so
 * that two versions of the same workspace — today's and a reproduced run's — never mix. The
 * active one is carried by AsyncLocalStorage, not a module variable swapped in and out: two
 * workspaces loading at once in one process (awaiting in between) each register into their own.
 */
const activeForAsyncWork = new AsyncLocalStorage<Registry>();
/** Created once, never swapped: the registry of code that runs outside any loaded workspace. */
let builtins: Registry | undefined;
let processDefault: Registry | undefined;

export function builtinRegistry(): Registry {
  if (!builtins) {
    builtins = new Registry();
    registerBuiltins(builtins);
  }
  return builtins;
}

export function activeRegistry(): Registry {
  const active = activeForAsyncWork.getStore();
  if (active) return active;
  processDefault ??= builtinRegistry().clone();
  return processDefault;
}

/** Runs `fn` with `registry` as the active one for it and every async operation it starts. */
export async function withActiveRegistry<T>(registry: Registry, fn: () => T | Promise<T>): Promise<T> {
  return activeForAsyncWork.run(registry, async () => await fn());
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
