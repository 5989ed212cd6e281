import * as fs from "node:fs";
import * as path from "node:path";
import type { TrialCode } from "../../protocol/queue";
import { checkCommitHash, commitExists, git } from "../git/git";
import { materialiseCommit } from "../git/materialise";
import { runRef } from "../git/snapshot";
import { MlexpError, messageOf } from "../util/errors";
import { DependencyCache } from "./dependencies";

/**
 * A worker's copies of the runs' code: one bare repository that commits are fetched into from the
 * run's git remote (once per commit), and one folder of files per commit, written from it, with
 * the npm packages its lockfile declares (see DependencyCache). The user's working tree is never
 * involved: a worker may run on a machine that has none.
 */
export class CodeCache {
  private readonly pending = new Map<string, Promise<string>>();
  readonly dependencies: DependencyCache;
  /** Fetches made from remotes, for the worker's log and tests. */
  fetches = 0;

  constructor(
    readonly dir: string,
    private readonly options: { remote?: string; log?: (line: string) => void } = {},
  ) {
    this.dependencies = new DependencyCache(path.join(dir, "deps"), options.log);
  }

  /**
   * The folder holding the run's workspace at its commit. Concurrent trials of the same commit share
   * one fetch; a failed fetch is tried again by the next trial.
   */
  async workspaceFor(runId: string, code: TrialCode): Promise<string> {
    const commit = checkCommitHash(code.commit);
    let snapshot = this.pending.get(commit);
    if (!snapshot) {
      snapshot = this.snapshotOf(runId, code);
      this.pending.set(commit, snapshot);
      snapshot.catch(() => this.pending.delete(commit));
    }
    const root = await snapshot;
    const workspace = path.resolve(root, code.workspacePath);
    if (workspace !== root && !workspace.startsWith(root + path.sep)) {
      throw new MlexpError(`The run's workspace path ${JSON.stringify(code.workspacePath)} leaves its repository.`, "invalid_argument");
    }
    await this.dependencies.install(workspace);
    return workspace;
  }

  private async snapshotOf(runId: string, code: TrialCode): Promise<string> {
    const snapshots = path.join(this.dir, "code");
    const done = path.join(snapshots, code.commit);
    if (fs.existsSync(done)) return done;
    const repo = await this.repository();
    if (!(await commitExists(repo, code.commit))) await this.fetch(repo, runId, code);
    return materialiseCommit(repo, code.commit, snapshots);
  }

  private async fetch(repo: string, runId: string, code: TrialCode): Promise<void> {
    const remote = this.options.remote ?? code.remote;
    const ref = runRef(runId);
    if (code.ref !== ref) throw new MlexpError(`The trial names the git ref ${JSON.stringify(code.ref)}, not ${ref}.`, "invalid_argument");
    try {
      // `ext::` remotes run commands: never allowed. `--end-of-options`: a remote is never an option.
      await git(repo, ["-c", "protocol.ext.allow=never", "fetch", "--quiet", "--no-tags", "--end-of-options", remote, `+${ref}:${ref}`]);
      this.fetches++;
      this.options.log?.(`fetched ${code.commit.slice(0, 12)} from ${remote}`);
    } catch (error) {
      throw new MlexpError(
        `Could not fetch the code of run ${runId} (${ref}, commit ${code.commit.slice(0, 12)}) from ${remote}: ${firstLine(messageOf(error))}`,
        "code_unavailable",
        "Check that the worker can reach the run's git remote and that the run's snapshot was pushed there.",
      );
    }
    if (!(await commitExists(repo, code.commit))) {
      throw new MlexpError(
        `${remote} has ${ref}, but not at commit ${code.commit.slice(0, 12)}.`,
        "code_unavailable",
        "The worker's --remote is not the run's remote: start the worker without --remote, or with the coordinator's.",
      );
    }
  }

  private async repository(): Promise<string> {
    const repo = path.join(this.dir, "repo.git");
    if (!fs.existsSync(path.join(repo, "HEAD"))) {
      fs.mkdirSync(repo, { recursive: true });
      await git(repo, ["init", "--quiet", "--bare"]);
    }
    return repo;
  }
}

function firstLine(text: string): string {
  return text.trim().split("\n").filter((line) => line.trim()).pop() ?? text;
}
