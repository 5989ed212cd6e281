import { execFile } from "node:child_process";
import { simpleGit } from "simple-git";
import { MlexpError, messageOf } from "../util/errors";

/**
 * Git through simple-git, with an argument array — never a shell string. simple-git (4.0.2,
 * measured here) waits a fixed 50 ms after a git process that wrote nothing to stdout or stderr,
 * whatever its `completion` options, while commands that print cost within 2 ms of a bare
 * `execFile`. So mlexp asks git for forms that print (`status --branch`, `cat-file -t`,
 * `write-tree` and `commit-tree` print hashes), and runs the few commands that can print nothing
 * (`update-ref`, `read-tree`, `checkout-index`, and `add`, which prints nothing when it has
 * nothing to add, even with --verbose) through `gitSilent`, a bare `execFile`. Every call through
 * simple-git also costs ~0.5–1 ms more than execFile (its task queue, plugins and loggers; measured
 * 2.6 vs 2.1 ms of this process's CPU per `rev-parse HEAD`), which is why a dirty tree's snapshot,
 * with more commands, is further from bare execFile than a clean one's. Commits mlexp makes itself carry a fixed identity so they work on machines without
 * `user.name`.
 */
const MLEXP_IDENTITY = {
  GIT_AUTHOR_NAME: "mlexp",
  GIT_AUTHOR_EMAIL: "mlexp@localhost",
  GIT_COMMITTER_NAME: "mlexp",
  GIT_COMMITTER_EMAIL: "mlexp@localhost",
};

/**
 * Only what git needs from the environment: inherited GIT_* variables (a hook's GIT_DIR, say) would
 * point commands at another repository.
 */
const INHERITED_ENV = ["PATH", "HOME", "USERPROFILE", "SYSTEMROOT", "TMPDIR", "TEMP", "TMP", "LANG", "LC_ALL", "LC_CTYPE", "XDG_CONFIG_HOME"];

function gitEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of INHERITED_ENV) if (process.env[key] !== undefined) env[key] = process.env[key];
  return { ...env, ...MLEXP_IDENTITY, GIT_TERMINAL_PROMPT: "0", ...extra };
}

/** Runs a git command in `dir` through simple-git and returns its output as is. */
export async function gitRaw(dir: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  try {
    const environment = gitEnvironment(env);
    // simple-git refuses GIT_* variables it is not told to allow (and drops inherited ones).
    const allowEnvironment = Object.keys(environment).filter((key) => key.startsWith("GIT_"));
    // Protocol overrides are ours only, to forbid protocols (`-c protocol.ext.allow=never` when fetching a run's code).
    const unsafe = { allowUnsafeProtocolOverride: true };
    return await simpleGit({ baseDir: dir, maxConcurrentProcesses: 4, allowEnvironment, unsafe }).env(environment).raw(args);
  } catch (error) {
    throw new Error(messageOf(error).trim(), { cause: error });
  }
}

/**
 * Runs a git command that may print nothing when it succeeds (`update-ref`, `read-tree`,
 * `checkout-index`, `add`) as a bare `execFile`: through simple-git each would wait 50 ms for output that
 * never comes (measured: 62 ms vs 10 ms for a silent command, see the note at the top).
 */
export function gitSilent(dir: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd: dir, env: gitEnvironment(env) }, (error, _stdout, stderr) => {
      if (error) reject(new Error(stderr.trim() || error.message));
      else resolve();
    });
  });
}

/** Runs a git command and returns its trimmed output. */
export async function git(dir: string, args: string[], env?: Record<string, string>): Promise<string> {
  return (await gitRaw(dir, args, env)).trim();
}

/** The top folder of the repository holding `dir`, or undefined when there is none. */
export async function repositoryTop(dir: string): Promise<string | undefined> {
  try {
    return await git(dir, ["rev-parse", "--show-toplevel"]);
  } catch {
    return undefined;
  }
}

export async function requireRepositoryTop(dir: string, why: string): Promise<string> {
  const top = await repositoryTop(dir);
  if (top) return top;
  throw new MlexpError(`${dir} is not in a git repository, so ${why}.`, "not_git", "Run `git init` and commit your code first.");
}

/** The commit HEAD points at, or undefined in a repository without commits. */
export async function headCommit(top: string): Promise<string | undefined> {
  try {
    return await git(top, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
  } catch {
    return undefined;
  }
}

/**
 * `git status` that never writes: by default status refreshes the index's stat cache, which would
 * change the user's index file behind their back. `--branch` makes it print a first `## branch`
 * entry even on a clean tree (see the note at the top); it is dropped here, so a clean tree gives "".
 */
export async function porcelainStatus(top: string, untracked: "all" | "no" = "all"): Promise<string> {
  const output = await gitRaw(top, ["--no-optional-locks", "status", "--porcelain=v1", "--branch", "-z", `--untracked-files=${untracked}`]);
  return output.startsWith("## ") ? output.slice(output.indexOf("\0") + 1) : output;
}

/** Checks that a string is a full hexadecimal object name before it reaches a git command. */
export function checkCommitHash(hash: unknown): string {
  if (typeof hash === "string" && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(hash)) return hash;
  throw new MlexpError(`${JSON.stringify(hash)} is not a git commit hash.`, "invalid_argument");
}

export async function commitExists(top: string, hash: string): Promise<boolean> {
  try {
    // `-t` prints the type, where `-e` prints nothing (see the note at the top).
    return (await git(top, ["cat-file", "-t", `${checkCommitHash(hash)}^{commit}`])) === "commit";
  } catch {
    return false;
  }
}

export function gitFailure(action: string, error: unknown): MlexpError {
  return new MlexpError(`git could not ${action}: ${messageOf(error).trim()}`, "invalid_argument");
}
