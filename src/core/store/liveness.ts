import * as os from "node:os";
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
  if (run.pid == null || run.host !== os.hostname()) return false;
  return !processExists(run.pid);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
