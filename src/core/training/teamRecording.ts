import { gitRemote } from "../git/checkout";
import { repositoryTop } from "../git/git";
import { pushRunRefs } from "../git/sharedRefs";
import type { RunBundle } from "../store/runStore";
import type { Store } from "../store/store";
import { WorkspaceRunStore } from "../store/workspaceRunStore";
import { MlexpError, messageOf } from "../util/errors";

/** How often a running training tells the store it is alive (the team store's crash limit is a few times this). */
export const HEARTBEAT_INTERVAL_MS = 10_000;

/** Refreshes a run's heartbeat until stopped; a missed beat is only logged by the next one succeeding. */
export function startHeartbeat(store: Store, runId: string, intervalMs = HEARTBEAT_INTERVAL_MS): { stop(): void } {
  if (store.runs.kind === "workspace") return { stop: () => undefined };
  const timer = setInterval(() => void store.runs.heartbeat(runId).catch(() => undefined), intervalMs);
  timer.unref?.();
  return { stop: () => clearInterval(timer) };
}

/**
 * When the team store cannot be reached at the end of a training, the result is not lost: it is
 * written to the workspace's own database (and is already in the run's run.json), and the error
 * says how to send it later. Other errors are returned as they are.
 */
export async function keepInWorkspace(store: Store, bundle: RunBundle, error: unknown): Promise<unknown> {
  if (!store.isRemote || !(error instanceof MlexpError) || error.code !== "store_unavailable") return error;
  const local = new WorkspaceRunStore(store.db);
  await local.importRun(bundle);
  return new MlexpError(
    `${messageOf(error)} Run ${bundle.run.run_id} was kept in the workspace database (${store.db.file}).`,
    "store_unavailable",
    `Send it when the server is back with \`mlexp push ${bundle.run.run_id}\`.`,
  );
}

/**
 * With a team store, a run's code snapshot goes to the team's git remote so that any clone can
 * reproduce it. A failure is a warning: the run is recorded, and `mlexp push RUN_ID` retries.
 */
export async function shareSnapshot(store: Store, runId: string, log?: (line: string) => void): Promise<void> {
  if (!store.isRemote) return;
  const top = await repositoryTop(store.workspace);
  if (!top) return;
  const remote = gitRemote();
  const problem = await pushRunRefs(top, [runId], remote);
  if (problem) log?.(`warning: the code snapshot of run ${runId} was not pushed to ${remote} (${problem}); \`mlexp push ${runId}\` retries.`);
}
