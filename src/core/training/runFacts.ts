import type { ComponentKind } from "../components/component";
import { captureEnvironment } from "../diff/environment";
import type { ComponentRole } from "../diff/types";
import { builtinRegistry } from "../registration";
import type { JsonObject } from "../util/json";
import type { ResolvedRequest } from "./resolveRequest";

/**
 * Facts recorded in a run's `details` so that two runs can later be told apart: the environment
 * (versions, platform, the workspace's packages) and, per component, the class behind the
 * registered name and whether it is one of mlexp's built-ins (`mlexp diff` finds a class's file in
 * the code snapshot by that name).
 */
export function runFacts(request: ResolvedRequest, workspace: string): JsonObject {
  return {
    environment: captureEnvironment(workspace) as unknown as JsonObject,
    components: {
      model: component("model", request.modelName, request.modelClass),
      featureGenerator: component("featureGenerator", request.featureGeneratorName, request.featureGeneratorClass),
      dataAccessObject: component("dataAccessObject", request.datasetName, request.datasetClass),
    } satisfies Record<ComponentRole, JsonObject>,
  };
}

function component(kind: ComponentKind, name: string, cls: { name: string }): JsonObject {
  const builtins = builtinRegistry();
  const builtin = builtins.has(kind, name) && (builtins.get(kind, name) as unknown) === cls;
  return { className: cls.name, builtin };
}
