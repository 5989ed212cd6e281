import { checkCommitHash } from "../../../core/git/git";
import { MlexpError } from "../../../core/util/errors";
import type { SnapshotFile } from "./controller";

/** Read-only documents of files as a run's code snapshot has them (never the working tree). */
export const SNAPSHOT_SCHEME = "mlexp-snapshot";
/** Read-only documents mlexp writes for the user to read (the sample of changed rows). */
export const READ_ONLY_SCHEME = "mlexp-readonly";

/** The parts of a snapshot document's URI: `mlexp-snapshot:/<path>?commit=<hash>[&absent=1]`. */
export interface SnapshotUriParts {
  path: string;
  query: string;
}

export function snapshotUriParts(file: SnapshotFile): SnapshotUriParts {
  const query = new URLSearchParams({ commit: checkCommitHash(file.commit), ...(file.absent ? { absent: "1" } : {}) });
  return { path: `/${checkRepositoryPath(file.path)}`, query: query.toString() };
}

/** Reads a snapshot document's URI back, checking the commit hash and the path before git sees them. */
export function parseSnapshotUri(uriPath: string, query: string): SnapshotFile {
  const params = new URLSearchParams(query);
  return { commit: checkCommitHash(params.get("commit")), path: checkRepositoryPath(uriPath.replace(/^\//, "")), absent: params.get("absent") === "1" };
}

/** A path inside the repository as git names it: relative, forward slashes, no `..`, no NUL. */
export function checkRepositoryPath(file: string): string {
  const parts = file.split("/");
  if (!file || file.includes("\0") || file.startsWith("/") || parts.some((part) => part === ".." || part === "")) {
    throw new MlexpError(`${JSON.stringify(file)} is not a path inside the repository.`, "invalid_argument");
  }
  return file;
}
