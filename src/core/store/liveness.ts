import { processIsGone } from "../util/processes";
import type { ModelRun } from "./runRecord";

/**
 * A run stays `running` in the database when its process is killed. Readers turn such a row into
 * `crashed` when the process that wrote it is gone (same host: checked with signal 0). Runs from
 * other hosts cannot be checked and keep their stored status.
 */
export function withLiveStatus(run: ModelRun): ModelRun {
  if (run.status !== "running" || !isOrphaned(run)) return run;
  return { ...run, status: "crashed" };
}

export function isOrphaned(run: Pick<ModelRun, "pid" | "host">): boolean {
  return processIsGone(run.pid, run.host);
}
