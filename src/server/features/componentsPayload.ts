import type { ComponentsChangedParams, IndexedComponent, IndexedWorkspace, SourceLocation } from "../../protocol/language";
import type { ComponentEntry } from "../index/registrations";
import { COMPONENT_KINDS, type ProjectRegistry } from "../index/registry";
import type { Span } from "../parse/facts";
import { rangeOf } from "../util/positions";
import { pathToUri } from "../util/uris";
import type { FeatureContext } from "./context";

/** The index as the extension's Components view wants it (see src/protocol/language.ts). */
export function componentsPayload(context: FeatureContext): ComponentsChangedParams {
  const registries = context.linked.allRegistries();
  return {
    workspaces: registries.map((registry) => indexedWorkspace(registry)),
    components: registries.flatMap((registry) => registry.components().map((entry) => indexedComponent(context, registry.project.root, entry))),
  };
}

function indexedWorkspace(registry: ProjectRegistry): IndexedWorkspace {
  const { root, configPath } = registry.project;
  const incomplete = COMPONENT_KINDS.some((kind) => registry.isUncertain(kind)) || registry.components().some((entry) => !entry.params.complete);
  return { root, ...(configPath ? { configPath } : {}), ...(incomplete ? { incomplete } : {}) };
}

function indexedComponent(context: FeatureContext, workspace: string, entry: ComponentEntry): IndexedComponent {
  const location = entry.declaration && locationOf(context, entry.declaration.file, entry.declaration.cls.nameSpan);
  const registeredAt = entry.registration && locationOf(context, entry.registration.file, entry.registration.fact.call);
  const runs = entry.kind === "model" ? context.runsOf(workspace, entry.name) : undefined;
  return {
    kind: entry.kind,
    name: entry.name,
    className: entry.className,
    builtin: entry.builtin,
    description: entry.description,
    ...(entry.task ? { task: entry.task } : {}),
    // The protocol carries descriptions only: declaration spans stay on the server.
    params: entry.params.params.map(({ location: _location, ...description }) => description),
    workspace,
    ...(location ? { location } : {}),
    ...(registeredAt ? { registeredAt } : {}),
    ...(runs ? { runs } : {}),
  };
}

function locationOf(context: FeatureContext, file: string, span: Span): SourceLocation | undefined {
  const source = context.table.get(file);
  return source ? { uri: pathToUri(file), range: rangeOf(source, span) } : undefined;
}
