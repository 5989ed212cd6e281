import { checkRunIdSyntax } from "../store/runId";
import { MlexpError, messageOf } from "../util/errors";
import { git } from "./git";
import { runRef } from "./snapshot";

/** The remote the team shares run snapshots through (`--git-remote`, MLEXP_GIT_REMOTE, `mlexp.gitRemote`). */
export const DEFAULT_GIT_REMOTE = "origin";

/** A remote name, or a path or URL of a repository; never something git could take for an option. */
export function checkRemote(remote: string): string {
  if (remote && !remote.startsWith("-") && !/[\s\0]/.test(remote) && remote.length < 1000) return remote;
  throw new MlexpError(`${JSON.stringify(remote)} is not a git remote.`, "invalid_argument", "Give a remote name such as origin, or a repository path or URL.");
}

/** True when the repository has this remote configured (a path or URL always counts). */
async function remoteExists(top: string, remote: string): Promise<boolean> {
  if (/[/:]/.test(remote)) return true;
  const names = (await git(top, ["remote"])).split("\n");
  return names.includes(remote);
}

/**
 * Pushes the runs' snapshot refs (`refs/mlexp/runs/<id>`) to the shared remote, in one push.
 * Returns undefined on success, else why not (the caller warns: the run itself is recorded).
 */
export async function pushRunRefs(top: string, runIds: readonly string[], remote = DEFAULT_GIT_REMOTE): Promise<string | undefined> {
  if (!runIds.length) return undefined;
  checkRemote(remote);
  if (!(await remoteExists(top, remote))) return `the repository has no git remote "${remote}"`;
  const refspecs = runIds.map((id) => `${runRef(checkRunIdSyntax(id))}:${runRef(id)}`);
  try {
    await git(top, ["push", "--quiet", "--no-verify", "--", remote, ...refspecs]);
    return undefined;
  } catch (error) {
    return messageOf(error).split("\n")[0];
  }
}

/** Fetches runs' snapshot refs from the shared remote; returns why not, or undefined when it worked. */
export async function fetchRunRefs(top: string, runIds: readonly string[], remote = DEFAULT_GIT_REMOTE): Promise<string | undefined> {
  if (!runIds.length) return undefined;
  checkRemote(remote);
  if (!(await remoteExists(top, remote))) return `the repository has no git remote "${remote}"`;
  const refspecs = runIds.map((id) => `${runRef(checkRunIdSyntax(id))}:${runRef(id)}`);
  try {
    await git(top, ["fetch", "--quiet", "--no-tags", "--", remote, ...refspecs]);
    return undefined;
  } catch (error) {
    return messageOf(error).split("\n")[0];
  }
}
