import type { ComponentKind } from "../components/component";
import { describeParams, type ParamDescription } from "../components/params";
import type { Registry } from "../components/registry";

/** A registered component as data: what `mlexp list`, the sidebar and quick picks show. */
export interface ComponentDescription {
  kind: ComponentKind;
  name: string;
  className: string;
  builtin: boolean;
  description: string;
  /** Models only. */
  task?: string;
  params: ParamDescription[];
}

export const COMPONENT_KINDS: readonly ComponentKind[] = ["model", "featureGenerator", "dataAccessObject"];

export function describeComponents(registry: Registry): ComponentDescription[] {
  return COMPONENT_KINDS.flatMap((kind) =>
    registry.entries(kind).map((entry) => ({
      kind,
      name: entry.name,
      // A built-in's class is named as it is registered (its class name is minified in a production bundle).
      className: entry.builtin ? entry.name : entry.cls.name,
      builtin: entry.builtin,
      description: entry.cls.description,
      ...("task" in entry.cls ? { task: entry.cls.task } : {}),
      params: describeParams(entry.cls.params),
    })),
  );
}
