import { execFile } from "node:child_process";
import { MlexpError, messageOf } from "../util/errors";

/**
 * Git as a child process with an argument array — never a shell string. (simple-git was measured
 * here to add 50 ms to every command that prints nothing, such as `status` on a clean tree or
 * `update-ref`: its completion handler waits that long for output. A run makes several such calls.)
 * Commits mlexp makes itself carry a fixed identity so they work on machines without `user.name`.
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

/** Runs a git command in `dir` and returns its output as is. */
export function gitRaw(dir: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd: dir, env: gitEnvironment(env), maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(stderr.trim() || error.message));
      else resolve(stdout);
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
 * change the user's index file behind their back.
 */
export async function porcelainStatus(top: string, untracked: "all" | "no" = "all"): Promise<string> {
  return gitRaw(top, ["--no-optional-locks", "status", "--porcelain=v1", "-z", `--untracked-files=${untracked}`]);
}

/** Checks that a string is a full hexadecimal object name before it reaches a git command. */
export function checkCommitHash(hash: unknown): string {
  if (typeof hash === "string" && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(hash)) return hash;
  throw new MlexpError(`${JSON.stringify(hash)} is not a git commit hash.`, "invalid_argument");
}

export async function commitExists(top: string, hash: string): Promise<boolean> {
  try {
    await git(top, ["cat-file", "-e", `${checkCommitHash(hash)}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

export function gitFailure(action: string, error: unknown): MlexpError {
  return new MlexpError(`git could not ${action}: ${messageOf(error).trim()}`, "invalid_argument");
}
