import type { ComponentKind } from "../../core/components/component";
import type { ParamDescription } from "../../core/components/params";
import type { ComponentDescription } from "../../core/workspace/describe";
import { escapeCell } from "../runs/runTree";

// The Components view as data. src/extension/components/componentsView.ts turns it into TreeItems.

/** What the view shows: the components of the workspace, and why some may be missing. */
export interface ComponentListing {
  components: ComponentDescription[];
  /** The config that was loaded, absent when the workspace has none. */
  configPath?: string;
  /**
   * False when only built-ins are listed: in an untrusted workspace whose source the language
   * server has not indexed (listing its components otherwise runs its mlexp.config.ts), or when
   * the config failed to load.
   */
  workspaceComponentsListed: boolean;
  /** Why the workspace's components could not be loaded (its config failed), shown above the built-ins. */
  loadError?: string;
}

export type ComponentsNode =
  | { kind: "group"; componentKind: ComponentKind; components: ComponentDescription[] }
  | { kind: "component"; component: ComponentDescription }
  | { kind: "param"; component: ComponentDescription; param: ParamDescription }
  | { kind: "notice"; severity: "error" | "info"; text: string; detail?: string };

export const GROUP_LABELS: Record<ComponentKind, string> = {
  model: "Models",
  featureGenerator: "Feature Generators",
  dataAccessObject: "Data Access Objects",
};

const KIND_ORDER: readonly ComponentKind[] = ["model", "featureGenerator", "dataAccessObject"];

export function componentsRoot(listing: ComponentListing): ComponentsNode[] {
  const notices: ComponentsNode[] = [];
  if (listing.loadError) {
    notices.push({ kind: "notice", severity: "error", text: "The workspace's components could not be loaded", detail: listing.loadError });
  } else if (!listing.workspaceComponentsListed) {
    notices.push({
      kind: "notice",
      severity: "info",
      text: "Built-ins only: the workspace is not trusted",
      detail: "mlexp lists the workspace's own components by running its mlexp.config.ts, which only happens in a trusted workspace.",
    });
  }
  const groups = KIND_ORDER.map((componentKind): ComponentsNode => ({
    kind: "group",
    componentKind,
    components: ordered(listing.components.filter((component) => component.kind === componentKind)),
  }));
  return [...notices, ...groups];
}

/** The workspace's own components first (what the user works on), then the built-ins, each in registration order. */
function ordered(components: ComponentDescription[]): ComponentDescription[] {
  return [...components.filter((c) => !c.builtin), ...components.filter((c) => c.builtin)];
}

export function componentsChildren(node: ComponentsNode): ComponentsNode[] {
  if (node.kind === "group") return node.components.map((component) => ({ kind: "component", component }));
  if (node.kind === "component") return node.component.params.map((param) => ({ kind: "param", component: node.component, param }));
  return [];
}

export function nodeId(node: ComponentsNode): string {
  switch (node.kind) {
    case "group":
      return `group:${node.componentKind}`;
    case "component":
      return `component:${node.component.kind}:${node.component.name}`;
    case "param":
      return `param:${node.component.kind}:${node.component.name}:${node.param.name}`;
    case "notice":
      return `notice:${node.text}`;
  }
}

export function groupDescription(components: readonly ComponentDescription[]): string {
  const own = components.filter((c) => !c.builtin).length;
  return own ? `${components.length} · ${own} from this workspace` : String(components.length);
}

export function componentDescription(component: ComponentDescription): string {
  const origin = component.builtin ? "built-in" : "workspace";
  return component.task ? `${origin} · ${component.task}` : origin;
}

/** Menus key on `component:<kind>:<user|builtin>`. */
export function componentContextValue(component: ComponentDescription): string {
  return `component:${component.kind}:${component.builtin ? "builtin" : "user"}`;
}

export function componentTooltipMarkdown(component: ComponentDescription): string {
  const lines = [`**${escapeCell(component.name)}** (${component.builtin ? "built-in" : `class \`${component.className}\` in this workspace`})`];
  if (component.description) lines.push("", escapeCell(component.description));
  if (component.params.length) {
    lines.push("", "| parameter | type | default |", "| --- | --- | --- |");
    for (const param of component.params) lines.push(`| \`${param.name}\` | ${param.type} | ${escapeCell(defaultText(param))} |`);
  } else {
    lines.push("", "No parameters.");
  }
  return lines.join("\n");
}

/** "number = 0.1", "string, required", "string = "l2" (l1 | l2)". */
export function paramDescription(param: ParamDescription): string {
  const value = param.default !== undefined ? `${param.type} = ${JSON.stringify(param.default)}` : `${param.type}${param.required ? ", required" : ""}`;
  return param.choices?.length ? `${value} (${param.choices.join(" | ")})` : value;
}

export function paramTooltip(param: ParamDescription): string {
  const bounds = [param.min !== undefined ? `min ${param.min}` : "", param.max !== undefined ? `max ${param.max}` : ""].filter(Boolean).join(", ");
  return [param.description ?? "", `${param.name}: ${paramDescription(param)}`, bounds].filter(Boolean).join("\n");
}

function defaultText(param: ParamDescription): string {
  if (param.default !== undefined) return JSON.stringify(param.default);
  return param.required ? "(required)" : "—";
}
