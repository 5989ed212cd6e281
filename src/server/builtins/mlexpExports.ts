import type { ComponentKind } from "../../core/components/component";
import type { ComponentDescription } from "../../core/workspace/describe";
import { BUILTIN_COMPONENTS } from "./builtinCatalog";

/** The base classes a component extends, by what `import { … } from "mlexp"` calls them. */
export const BASE_CLASSES: Readonly<Record<string, ComponentKind>> = {
  Model: "model",
  FeatureGenerator: "featureGenerator",
  DataAccessObject: "dataAccessObject",
};

export const BASE_CLASS_OF_KIND: Readonly<Record<ComponentKind, string>> = {
  model: "Model",
  featureGenerator: "FeatureGenerator",
  dataAccessObject: "DataAccessObject",
};

const BUILTIN_BY_CLASS = new Map(BUILTIN_COMPONENTS.map((component) => [component.className, component]));

/** A built-in class exported by mlexp (`class Tuned extends LogisticRegression` is a model too). */
export function builtinClass(exportedName: string): ComponentDescription | undefined {
  return BUILTIN_BY_CLASS.get(exportedName);
}

const OTHER_EXPORTS = [
  "Component",
  "param",
  "register",
  "registerModel",
  "registerFeatureGenerator",
  "registerDataAccessObject",
  "getModel",
  "getFeatureGenerator",
  "getDataAccessObject",
  "trainModel",
];

/**
 * Names that `export * from "mlexp"` can be taken to provide. Any other name asked of such a
 * barrel is looked for in its other `export *` modules rather than assumed to come from mlexp.
 */
export function isMlexpExport(name: string): boolean {
  return Object.hasOwn(BASE_CLASSES, name) || BUILTIN_BY_CLASS.has(name) || OTHER_EXPORTS.includes(name);
}
