import * as path from "node:path";
import { MlexpError, messageOf } from "../util/errors";
import { git } from "./git";
import { runRef } from "./snapshot";

/**
 * The URL of a git remote given by name ("origin") or as a URL or path. A relative path is made
 * absolute (workers run elsewhere); credentials are removed (workers use their own).
 */
export async function remoteUrl(top: string, remote: string): Promise<string> {
  let url = remote;
  if (/^[A-Za-z0-9._-]+$/.test(remote) && !remote.startsWith(".")) {
    try {
      url = await git(top, ["remote", "get-url", "--end-of-options", remote]);
    } catch {
      throw new MlexpError(
        `The repository at ${top} has no git remote "${remote}", which a distributed search pushes the run's code to.`,
        "not_git",
        `Add one (git remote add ${remote} URL) or name another with --remote.`,
      );
    }
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !/^[^/]+@[^:]+:/.test(url)) url = path.resolve(top, url);
  return withoutCredentials(url);
}

export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, "$1");
}

/** Pushes a run's snapshot ref (`refs/mlexp/runs/<run_id>`) to the remote, for workers to fetch. */
export async function pushRunRef(top: string, remote: string, runId: string): Promise<void> {
  const ref = runRef(runId);
  try {
    await git(top, ["push", "--quiet", "--no-verify", "--end-of-options", remote, `${ref}:${ref}`]);
  } catch (error) {
    throw new MlexpError(`Could not push the run's code (${ref}) to ${withoutCredentials(remote)}: ${messageOf(error).trim().split("\n").pop()}`, "code_unavailable", "Check that this machine can push to the remote.");
  }
}
