import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MlexpError, messageOf } from "./errors";
import { processIsGone } from "./processes";

/** Who holds the lock, as earlier versions wrote it (they read only this file): kept for them. */
const OWNER_FILE = "owner.json";
/** `owner-<token>.json`: the same, under a name no other holder of the lock ever had. */
const TOKEN_PATTERN = /^owner-[0-9a-f]{16}-\d+\.json$/;
/** A lock folder that names no holder (an earlier version's, killed while writing owner.json) is stale past this age. */
const STALE_MS = 15_000;

interface LockOwner {
  pid: number;
  host: string;
}

export type ReleaseLock = () => Promise<void>;

/**
 * What a process found stale and means to remove: the holder's token file (`owner-<token>.json`),
 * or, for a folder without one, that folder as it was (an earlier version's lock, or one emptied
 * by a remover killed before it removed the folder).
 */
export type StaleLock = { token: string } | { ownerless: true };

/**
 * Takes the lock `<file>.lock`, a folder, and returns how to let it go.
 *
 * Why not proper-lockfile (used before): it makes the lock with mkdir, so a new lock is an empty
 * folder until its holder writes who it is, and a stale lock can then only be removed by a check
 * followed by a removal that may hit a new lock made in between (the move-aside-and-back used to
 * work around that left, in that instant, two holders). Here a lock never exists without its
 * holder's token file: the folder is made under a name of its own with `owner-<token>.json` (and
 * owner.json) inside, then renamed to `<file>.lock`, which fails while a lock (never empty) is there.
 * A stale lock is removed by deleting its token file by name — which fails if the lock is no
 * longer the one judged stale, since no other lock has that token — and then the folder with
 * rmdir, which fails on any folder that is not empty, i.e. any live lock. Nothing ever removes a
 * live lock, whatever the interleaving. A lock is stale when its holder is known to be gone (same
 * host, no such process); `what` names the locked thing in the error when the wait is too long.
 */
export async function takeLock(file: string, what: string, waitMs = 120_000): Promise<ReleaseLock> {
  const lockDir = `${file}.lock`;
  const token = `${randomBytes(8).toString("hex")}-${process.pid}`;
  const deadline = Date.now() + waitMs;
  let delay = 5;
  let made: string | undefined;
  try {
    for (;;) {
      made ??= prepareLock(lockDir, token, file, what);
      if (placeLock(made, lockDir, file, what)) {
        made = undefined;
        removeAbandonedFolders(lockDir);
        return () => releaseLock(lockDir, token);
      }
      const stale = findStaleLock(lockDir);
      if (stale && removeStaleLock(lockDir, stale)) continue;
      if (Date.now() > deadline) throw lockedTooLong(lockDir, what, waitMs);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(100, delay * 1.5);
    }
  } finally {
    if (made) fs.rmSync(made, { recursive: true, force: true });
  }
}

/** The lock folder, complete, under a name of this process's own (the rename makes it the lock). */
function prepareLock(lockDir: string, token: string, file: string, what: string): string {
  const made = `${lockDir}.new-${token}`;
  const owner = JSON.stringify({ pid: process.pid, host: os.hostname() } satisfies LockOwner);
  try {
    fs.mkdirSync(made);
    fs.writeFileSync(path.join(made, `owner-${token}.json`), owner);
    fs.writeFileSync(path.join(made, OWNER_FILE), owner);
  } catch (error) {
    fs.rmSync(made, { recursive: true, force: true });
    throw cannotLock(error, file, what);
  }
  return made;
}

/** Folders a process killed while it waited for the lock left beside it (one directory listing: cheap next to a lock). */
function removeAbandonedFolders(lockDir: string): void {
  const prefix = `${path.basename(lockDir)}.new-`;
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(lockDir)).filter((name) => name.startsWith(prefix));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/-(\d+)$/.exec(name)?.[1]);
    if (Number.isInteger(pid) && processIsGone(pid, os.hostname())) fs.rmSync(path.join(path.dirname(lockDir), name), { recursive: true, force: true });
  }
}

/** True once `made` is the lock; false while another lock is there. */
function placeLock(made: string, lockDir: string, file: string, what: string): boolean {
  try {
    // Replaces only a folder that is empty (no live lock ever is), and fails on any other.
    fs.renameSync(made, lockDir);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTEMPTY/EEXIST: POSIX, a lock is there; EPERM/EACCES: Windows cannot rename onto a folder.
    if (code === "ENOTEMPTY" || code === "EEXIST" || code === "EPERM" || code === "EACCES") return false;
    throw cannotLock(error, file, what);
  }
}

/** Token first (from then on the lock is no longer live), then the copy for earlier versions, then the folder. */
async function releaseLock(lockDir: string, token: string): Promise<void> {
  try {
    fs.unlinkSync(path.join(lockDir, `owner-${token}.json`));
  } catch {
    return; // taken over (this process was thought gone): what is there now is another holder's
  }
  fs.rmSync(path.join(lockDir, OWNER_FILE), { force: true });
  removeIfEmpty(lockDir);
}

/**
 * What is stale about the lock there now, if anything: a holder known to be gone (its token file,
 * or an earlier version's owner.json), or a folder naming no holder that is older than STALE_MS.
 * Undefined when the holder may be alive (or there is no lock: the next attempt takes it).
 */
export function findStaleLock(lockDir: string): StaleLock | undefined {
  let names: string[];
  try {
    names = fs.readdirSync(lockDir);
  } catch {
    return undefined;
  }
  const token = names.find((name) => TOKEN_PATTERN.test(name));
  if (token) {
    const owner = readOwnerFile(path.join(lockDir, token));
    // A token file is complete before the lock appears; one that cannot be read was damaged since: judged by age.
    if (owner ? processIsGone(owner.pid, owner.host) : isOlderThanStale(path.join(lockDir, token))) return { token };
    return undefined;
  }
  const owner = readOwner(lockDir);
  if (owner ? processIsGone(owner.pid, owner.host) : isOlderThanStale(lockDir)) return { ownerless: true };
  return undefined;
}

/**
 * Removes the lock judged stale by `findStaleLock`, unless it is no longer there: a token file is
 * deleted by its name (another lock has another token), and the folder only if it is then empty.
 * Returns whether to try taking the lock again at once.
 */
export function removeStaleLock(lockDir: string, stale: StaleLock): boolean {
  if ("token" in stale) {
    try {
      fs.unlinkSync(path.join(lockDir, stale.token));
    } catch {
      return true; // already removed by another process: try again
    }
  }
  // An earlier version's file (or the copy beside the token just removed). Should the folder be a
  // new lock by now, this removes only that copy for earlier versions; its token keeps it whole.
  fs.rmSync(path.join(lockDir, OWNER_FILE), { force: true });
  removeIfEmpty(lockDir);
  return true;
}

function removeIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // Not empty (a new lock) or gone: either way not ours to remove.
  }
}

function isOlderThanStale(file: string): boolean {
  try {
    return fs.statSync(file).mtimeMs < Date.now() - STALE_MS;
  } catch {
    return false;
  }
}

function readOwner(lockDir: string): LockOwner | undefined {
  return readOwnerFile(path.join(lockDir, OWNER_FILE));
}

function readOwnerFile(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(file, "utf8")) as LockOwner;
    return typeof owner.pid === "number" && typeof owner.host === "string" ? owner : undefined;
  } catch {
    return undefined;
  }
}

function cannotLock(error: unknown, file: string, what: string): MlexpError {
  return new MlexpError(`Could not lock ${what} (${messageOf(error)}).`, "store_corrupted", `Check that ${file} is on a writable disk.`);
}

function lockedTooLong(lockDir: string, what: string, waitMs: number): MlexpError {
  const owner = readOwner(lockDir);
  const holder = owner ? `process ${owner.pid} on ${owner.host}` : "another mlexp process";
  return new MlexpError(
    `${what} has been locked by ${holder} for over ${waitMs >= 10_000 ? Math.round(waitMs / 1000) : (waitMs / 1000).toFixed(1)} s.`,
    "store_corrupted",
    `Wait for it to finish and try again; if no mlexp process is running, remove the folder ${lockDir}.`,
  );
}
