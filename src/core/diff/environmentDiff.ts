import type { ModelRun } from "../store/runRecord";
import type { JsonObject } from "../util/json";
import { environmentOf } from "./environment";
import { changes } from "./parameters";
import type { EnvironmentDiff, RunEnvironment } from "./types";

/**
 * The two runs' environments side by side: versions of mlexp, Node, Electron, the platform, the
 * TensorFlow.js backend, the workspace lockfile's hash and each direct dependency's version. A run
 * recorded before environments were captured is compared on what every run records (mlexp version,
 * Node, platform, backend), and the result says so.
 */
export function diffEnvironment(a: ModelRun, b: ModelRun): EnvironmentDiff {
  const left = environmentOf(a);
  const right = environmentOf(b);
  const partial = !left.recorded || !right.recorded;
  const fields = changes(comparable(left.environment, partial), comparable(right.environment, partial));
  const dependencies = partial ? [] : changes(left.environment.dependencies as JsonObject, right.environment.dependencies as JsonObject);
  const note = partial ? { partial: `run ${[a, b].filter((_, i) => ![left, right][i].recorded).map((run) => run.run_id).join(" and ")} recorded no environment: only mlexp, Node, platform and backend were compared` } : {};
  if (!fields.length && !dependencies.length) return { status: "identical", ...note };
  return { status: "changed", fields, dependencies, ...note };
}

function comparable(environment: RunEnvironment, partial: boolean): JsonObject {
  const common: JsonObject = {
    mlexp: environment.mlexp,
    node: environment.node,
    os: environment.os,
    arch: environment.arch,
    tfjsBackend: environment.tfjsBackend,
  };
  if (partial) return common;
  return { ...common, electron: environment.electron, lockfile: environment.lockfile ? `${environment.lockfile.path} ${environment.lockfile.sha256.slice(0, 12)}` : null };
}
