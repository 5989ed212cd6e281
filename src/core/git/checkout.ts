import * as fs from "node:fs";
import * as path from "node:path";
import type { ModelRun } from "../store/runRecord";
import { MlexpError } from "../util/errors";
import { DEFAULT_GIT_REMOTE, fetchRunRefs } from "./sharedRefs";
import { checkCommitHash, commitExists, git, gitFailure, porcelainStatus, requireRepositoryTop } from "./git";

export interface CheckoutResult {
  commit: string;
  /** The branch created, when one was asked for. */
  branch?: string;
}

/**
 * Puts the user's working tree at a run's code: detached at its commit, or on a new branch
 * `mlexp/<run_id>`. Refuses when tracked files have changes, naming them, rather than risk them;
 * git itself refuses if an untracked file would be overwritten.
 */
export async function checkoutRun(workspace: string, run: ModelRun, options: { branch?: boolean } = {}): Promise<CheckoutResult> {
  const { top, commit } = await locateRunCommit(workspace, run);
  const changed = await trackedChanges(top);
  if (changed.length) {
    throw new MlexpError(
      `Cannot check out run ${run.run_id}: the working tree has uncommitted changes (${summarise(changed)}).`,
      "dirty_worktree",
      "Commit or stash them first, or use `mlexp worktree` to get the run's code in a separate folder.",
    );
  }
  const branch = options.branch ? `mlexp/${run.run_id}` : undefined;
  try {
    await git(top, branch ? ["checkout", "-b", branch, commit] : ["checkout", "--detach", commit]);
  } catch (error) {
    throw gitFailure(`check out ${commit}`, error);
  }
  return { commit, ...(branch ? { branch } : {}) };
}

/** A separate folder with a run's code (`git worktree add --detach`); returns the workspace folder in it. */
export async function worktreeForRun(workspace: string, run: ModelRun, dir?: string): Promise<string> {
  const { top, commit } = await locateRunCommit(workspace, run);
  const target = path.resolve(dir ?? path.join(path.dirname(top), `${path.basename(top)}-${run.run_id}`));
  if (fs.existsSync(target) && fs.readdirSync(target).length) {
    throw new MlexpError(`Cannot create a worktree in ${target}: the folder is not empty.`, "invalid_argument", "Choose another folder.");
  }
  try {
    await git(top, ["worktree", "add", "--detach", target, commit]);
  } catch (error) {
    throw gitFailure(`create a worktree at ${target}`, error);
  }
  return path.join(target, run.workspace_path ?? "");
}

export async function locateRunCommit(workspace: string, run: ModelRun): Promise<{ top: string; commit: string }> {
  const top = await requireRepositoryTop(workspace, `the code of run ${run.run_id} cannot be restored`);
  if (!run.githash) {
    throw new MlexpError(`Run ${run.run_id} has no githash: it was trained outside a git repository.`, "snapshot_missing");
  }
  const commit = checkCommitHash(run.githash);
  // A run trained in another clone: its snapshot ref is on the team's remote.
  if (!(await commitExists(top, commit))) await fetchRunRefs(top, [run.run_id], gitRemote());
  if (!(await commitExists(top, commit))) {
    throw new MlexpError(
      `The code snapshot ${commit} of run ${run.run_id} is not in the repository ${top}.`,
      "snapshot_missing",
      `It is not on the git remote "${gitRemote()}" either (MLEXP_GIT_REMOTE). Push it from the clone that made the run: mlexp push ${run.run_id}.`,
    );
  }
  return { top, commit };
}

async function trackedChanges(top: string): Promise<string[]> {
  const entries = (await porcelainStatus(top, "no")).split("\0");
  // A rename's entry is followed by its old path, which has no status prefix.
  return entries.filter((entry) => /^[ MADRCU?!]{2} /.test(entry)).map((entry) => entry.slice(3));
}

function summarise(files: string[]): string {
  return files.length > 5 ? `${files.slice(0, 5).join(", ")} and ${files.length - 5} more` : files.join(", ");
}

/** The remote run snapshots are shared through (MLEXP_GIT_REMOTE, default origin). */
export function gitRemote(env: NodeJS.ProcessEnv = process.env): string {
  return env.MLEXP_GIT_REMOTE?.trim() || DEFAULT_GIT_REMOTE;
}
