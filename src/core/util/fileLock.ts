import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as lockfile from "proper-lockfile";
import { MlexpError, messageOf } from "./errors";
import { processIsGone } from "./processes";

const OWNER_FILE = "owner.json";
/** A lock whose holder could not say who it is (killed between taking it and writing owner.json). */
const STALE_MS = 15_000;

interface LockOwner {
  pid: number;
  host: string;
}

export type ReleaseLock = () => Promise<void>;

/**
 * Takes the lock `<file>.lock` (a folder, made atomically by proper-lockfile) and writes into it
 * who holds it. A lock whose holder was killed is taken over at once when the holder is known to
 * be gone (same host, no such process); proper-lockfile's staleness by age only covers locks that
 * name no holder. `what` names the locked thing in the error when the wait is too long.
 */
export async function takeLock(file: string, what: string, waitMs = 120_000): Promise<ReleaseLock> {
  const lockDir = `${file}.lock`;
  const deadline = Date.now() + waitMs;
  let delay = 5;
  for (;;) {
    let release: () => Promise<void>;
    try {
      // A holder whose lock folder was taken over (it was thought gone) has nothing to do.
      release = await lockfile.lock(file, { realpath: false, stale: STALE_MS, retries: 0, onCompromised: () => undefined });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOTEMPTY" && removeStaleWithoutOwner(lockDir)) continue;
      // ENOTEMPTY otherwise: a stale folder that names its holder (a live one too slow to refresh it, or a gone one taken over below).
      if (code !== "ELOCKED" && code !== "ENOTEMPTY") {
        throw new MlexpError(`Could not lock ${what} (${messageOf(error)}).`, "store_corrupted", `Check that ${file} is on a writable disk.`);
      }
      if (takeOverIfHolderGone(lockDir)) continue;
      if (Date.now() > deadline) throw lockedTooLong(lockDir, what, waitMs);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(100, delay * 1.5);
      continue;
    }
    writeOwner(lockDir);
    return async () => {
      fs.rmSync(`${lockDir}/${OWNER_FILE}`, { force: true });
      await release().catch(() => undefined);
    };
  }
}

function writeOwner(lockDir: string): void {
  try {
    fs.writeFileSync(`${lockDir}/${OWNER_FILE}`, JSON.stringify({ pid: process.pid, host: os.hostname() } satisfies LockOwner));
  } catch {
    // Without it the lock still works; a killed holder's lock then goes stale by age.
  }
}

/**
 * A holder killed while it wrote owner.json leaves it empty or cut short: nobody can tell who held
 * the lock, so it goes stale by age, and proper-lockfile's removal of the stale folder (rmdir)
 * then fails with ENOTEMPTY, on every later attempt. Such a folder, once stale, is moved aside and
 * removed. Moving it first means only one process removes it, and the folder moved is checked to
 * be the one found stale (same inode), so a new holder's fresh lock is never removed. Seen under
 * load in test/integration/journalKill.test.ts (a writer killed with SIGKILL).
 */
function removeStaleWithoutOwner(lockDir: string): boolean {
  let stale: fs.Stats;
  try {
    stale = fs.statSync(lockDir);
  } catch {
    return true; // gone meanwhile: try again
  }
  if (readOwner(lockDir) || stale.mtimeMs >= Date.now() - STALE_MS) return false;
  const aside = `${lockDir}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    fs.renameSync(lockDir, aside);
  } catch {
    return true; // someone else moved it first: try again
  }
  if (fs.statSync(aside).ino !== stale.ino) {
    try {
      fs.renameSync(aside, lockDir); // a new holder's lock: put it back
    } catch {
      // A third process made a new lock meanwhile; the holder moved aside goes on under it.
    }
    return true;
  }
  fs.rmSync(aside, { recursive: true, force: true });
  return true;
}

function readOwner(lockDir: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(`${lockDir}/${OWNER_FILE}`, "utf8")) as LockOwner;
    return typeof owner.pid === "number" && typeof owner.host === "string" ? owner : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes a lock whose holder is gone. The folder is first renamed to a name of our own, so that
 * of several processes finding the same dead holder only one removes it; if what was renamed turns
 * out to be a new holder's lock, it is put back.
 */
function takeOverIfHolderGone(lockDir: string): boolean {
  const owner = readOwner(lockDir);
  if (!owner || !processIsGone(owner.pid, owner.host)) return false;
  const aside = `${lockDir}.gone-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    fs.renameSync(lockDir, aside);
  } catch {
    return true; // someone else took it over first: try again
  }
  const renamed = readOwner(aside);
  if (renamed && !processIsGone(renamed.pid, renamed.host)) {
    try {
      fs.renameSync(aside, lockDir);
      return true;
    } catch {
      // A third process made a new lock meanwhile; the live holder's work is done under it.
    }
  }
  fs.rmSync(aside, { recursive: true, force: true });
  return true;
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
