import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkCommitHash, gitSilent } from "./git";

/**
 * Writes the files of `commit` into `<cacheDir>/<commit>/` without touching the user's working
 * tree, index or HEAD: a temporary index is filled from the commit and checked out under a prefix.
 * Snapshots never change, so a finished folder is reused; it is built under a temporary name and
 * renamed, so a concurrent reproduction never sees half of it.
 */
export async function materialiseCommit(top: string, commit: string, cacheDir: string): Promise<string> {
  const target = path.join(cacheDir, checkCommitHash(commit));
  if (fs.existsSync(target)) {
    // In use again: `mlexp gc` keeps checkouts younger than its grace period.
    const now = new Date();
    fs.utimesSync(target, now, now);
    return target;
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  const building = fs.mkdtempSync(path.join(cacheDir, `.${commit.slice(0, 12)}-`));
  const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-index-"));
  const env = { GIT_INDEX_FILE: path.join(indexDir, "index") };
  try {
    await gitSilent(top, ["read-tree", commit], env);
    // `--work-tree` rather than `--prefix`: it works in a bare repository too (a worker's code cache).
    await gitSilent(top, ["--work-tree", building, "checkout-index", "--all", "--force"], env);
    try {
      fs.renameSync(building, target);
    } catch (error) {
      // Another process finished the same snapshot first: theirs is identical.
      if (!fs.existsSync(target)) throw error;
    }
    return target;
  } finally {
    fs.rmSync(indexDir, { recursive: true, force: true });
    fs.rmSync(building, { recursive: true, force: true });
  }
}
