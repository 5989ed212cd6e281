import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkRunIdSyntax } from "../store/runId";
import { git, gitSilent, headCommit, porcelainStatus, repositoryTop } from "./git";

export interface CodeSnapshot {
  /** The commit that holds the exact code of the run (HEAD when the tree was clean). */
  commit: string;
  /** HEAD when the run started (null in a repository without commits). */
  baseCommit: string | null;
  dirty: boolean;
  /** The workspace folder relative to the repository's top ("" when it is the top). */
  workspacePath: string;
  /** Untracked files left out because they are over the size limit. */
  skippedLargeFiles: string[];
}

export const DEFAULT_MAX_UNTRACKED_BYTES = 5 * 1024 * 1024;

export const runRef = (runId: string): string => `refs/mlexp/runs/${checkRunIdSyntax(runId)}`;

/**
 * Records the exact working tree — staged, unstaged and untracked files, ignored ones excluded —
 * as a commit whose parent is HEAD, without touching the user's branch, index, stash or files:
 * the tree is written through a temporary index file. The commit is kept reachable under
 * `refs/mlexp/runs/<run_id>` so that `git gc` never removes it. Returns undefined outside git.
 */
export async function snapshotWorkingTree(
  workspace: string,
  runId: string,
  maxUntrackedBytes = DEFAULT_MAX_UNTRACKED_BYTES,
): Promise<CodeSnapshot | undefined> {
  const ref = runRef(runId);
  // The three questions are asked at once, from the workspace folder (status's porcelain paths are
  // relative to the repository's top wherever it runs): one git process's wait instead of three.
  const asked = { top: repositoryTop(workspace), base: headCommit(workspace), status: porcelainStatus(workspace) };
  asked.status.catch(() => undefined);
  const top = await asked.top;
  if (!top) return undefined;
  const base = (await asked.base) ?? null;
  const status = await asked.status;
  const workspacePath = path.relative(top, path.resolve(workspace)).split(path.sep).join("/");
  let commit = base;
  let skipped: string[] = [];
  if (status.length > 0 || !base) {
    skipped = largeUntrackedFiles(top, status, maxUntrackedBytes);
    commit = await commitWorkingTree(top, base, runId, skipped);
  }
  await gitSilent(top, ["update-ref", ref, commit as string]);
  return { commit: commit as string, baseCommit: base, dirty: status.length > 0, workspacePath, skippedLargeFiles: skipped };
}

async function commitWorkingTree(top: string, base: string | null, runId: string, exclude: string[]): Promise<string> {
  const indexFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-index-")), "index");
  const env = { GIT_INDEX_FILE: indexFile };
  try {
    await gitSilent(top, base ? ["read-tree", base] : ["read-tree", "--empty"], env);
    const excludes = exclude.map((file) => `:(exclude,literal,top)${file}`);
    // A bare execFile (see git.ts): `add` prints nothing when it has nothing to add, even with
    // --verbose — a dirty tree whose only change is an untracked file over the size limit (left
    // out), or a staged change undone in the working tree — and simple-git then waits 50 ms
    // (measured, `add` with nothing to add: 76 ms through simple-git with --verbose, 20 ms by
    // execFile, at load 11 on 2 cores).
    await gitSilent(top, ["add", "--all", "--", ":/", ...excludes], env);
    const tree = await git(top, ["write-tree"], env);
    const parents = base ? ["-p", base] : [];
    return await git(top, ["commit-tree", tree, ...parents, "-m", `mlexp: working tree of run ${runId}`], env);
  } finally {
    fs.rmSync(path.dirname(indexFile), { recursive: true, force: true });
  }
}

/** Untracked files (from `status -z` entries marked `??`) bigger than the limit. */
function largeUntrackedFiles(top: string, status: string, limit: number): string[] {
  return status
    .split("\0")
    .filter((entry) => entry.startsWith("?? "))
    .map((entry) => entry.slice(3))
    .filter((file) => {
      try {
        return fs.statSync(path.join(top, file)).size > limit;
      } catch {
        return false;
      }
    });
}
