import { checkCommitHash, commitExists, git, repositoryTop } from "../../git/git";
import type { ModelRun } from "../../store/runRecord";
import type { CodeDiff } from "../types";
import { componentChanges, unchangedComponents } from "./components";
import { changedFiles } from "./gitChanges";

/**
 * The code two runs used, compared between their snapshot commits: each run's githash is HEAD or a
 * commit of its dirty working tree (staged, unstaged and untracked files), so uncommitted changes
 * are part of what is compared. Hashes are checked before any git command sees them.
 */
export async function diffCode(workspace: string, a: ModelRun, b: ModelRun): Promise<CodeDiff> {
  if (!a.githash || !b.githash) {
    const which = [a, b].filter((run) => !run.githash).map((run) => run.run_id);
    return { status: "unknown", reason: `run ${which.join(" and ")} has no code snapshot (trained outside a git repository)` };
  }
  const commitA = checkCommitHash(a.githash);
  const commitB = checkCommitHash(b.githash);
  if (commitA === commitB) return { status: "identical", commit: commitA, components: unchangedComponents(a, b) };
  const located = await locateSnapshots(workspace, [
    [a, commitA],
    [b, commitB],
  ]);
  if ("reason" in located) return { status: "unknown", reason: located.reason };
  const { top } = located;
  const files = await changedFiles(top, commitA, commitB);
  const components = await componentChanges(top, a, b, { a: commitA, b: commitB }, files);
  if (!files.length) return { status: "identical", commit: commitB, components };
  return {
    status: "changed",
    commitA,
    commitB,
    files,
    added: files.reduce((sum, f) => sum + (f.added ?? 0), 0),
    removed: files.reduce((sum, f) => sum + (f.removed ?? 0), 0),
    components,
  };
}

/**
 * The repository's top and both commits checked in one git command (each git process costs more
 * than the work it does here); when that fails, one check at a time says which is missing.
 */
async function locateSnapshots(workspace: string, snapshots: [ModelRun, string][]): Promise<{ top: string } | { reason: string }> {
  try {
    const [top] = (await git(workspace, ["rev-parse", "--show-toplevel", ...snapshots.map(([, commit]) => `${commit}^{commit}`)])).split("\n");
    return { top };
  } catch {
    const top = await repositoryTop(workspace);
    if (!top) return { reason: `${workspace} is not in a git repository` };
    for (const [run, commit] of snapshots) {
      if (!(await commitExists(top, commit))) return { reason: `the code snapshot ${commit.slice(0, 12)} of run ${run.run_id} is not in this repository` };
    }
    return { top };
  }
}
