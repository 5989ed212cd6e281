import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { findStaleLock, removeStaleLock, takeLock } from "../../../src/core/util/fileLock";
import { tempDir } from "../../helpers/tempDir";
import { leaveOwnerlessStaleLock } from "./fixtures/staleLocks";

const REPO = path.resolve(__dirname, "..", "..", "..");
const CHILD = path.join(__dirname, "fixtures", "lockInChild.ts");

function lockChild(args: string[]): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", CHILD, ...args], { cwd: REPO, env: { ...process.env, NODE_OPTIONS: "" }, stdio: ["pipe", "pipe", "pipe"] });
}

/** Resolves when the child has printed `word` (rejects if it exits first). */
function said(child: ChildProcess, word: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout?.on("data", (data: Buffer) => {
      out += data.toString();
      if (out.includes(word)) resolve();
    });
    child.stderr?.on("data", (data: Buffer) => (err += data.toString()));
    child.on("exit", (code) => reject(new Error(`The child exited (${code}) before saying ${word}: ${out} ${err}`)));
  });
}

async function holder(file: string): Promise<ChildProcess> {
  const child = lockChild(["hold", file]);
  await said(child, "locked");
  return child;
}

/** The lock can be taken at once, and once let go nothing of it is left in `dir`. */
async function expectFreeAndNothingLeft(file: string, dir: string): Promise<void> {
  const release = await takeLock(file, "The run database", 1000);
  await release();
  expect(fs.readdirSync(dir)).toEqual([]);
}

async function killed(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.on("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

function tokenFiles(lockDir: string): string[] {
  return fs.readdirSync(lockDir).filter((name) => /^owner-.*\.json$/.test(name));
}

describe("takeLock: removing a stale lock never removes a live one", () => {
  it("a process acting on a judgement made before the lock changed hands leaves the new holder's lock whole", async () => {
    const dir = tempDir();
    const file = path.join(dir, "mlexp.db");
    const lockDir = `${file}.lock`;
    await killed(await holder(file));
    // Process 1 finds the killed holder's lock stale, and is then slow to act on it.
    const judged = findStaleLock(lockDir);
    expect(judged).toEqual({ token: tokenFiles(lockDir)[0] });
    // Meanwhile process 2 removes it, and process 3 takes the lock.
    expect(removeStaleLock(lockDir, findStaleLock(lockDir) as NonNullable<typeof judged>)).toBe(true);
    expect(fs.existsSync(lockDir)).toBe(false);
    const live = await holder(file);
    try {
      const liveToken = tokenFiles(lockDir);
      expect(liveToken).toHaveLength(1);
      // Process 1 acts now: the live lock stays as it is, and still keeps everyone else out.
      removeStaleLock(lockDir, judged as NonNullable<typeof judged>);
      expect(tokenFiles(lockDir)).toEqual(liveToken);
      expect(findStaleLock(lockDir)).toBeUndefined();
      await expect(takeLock(file, "The run database", 300)).rejects.toThrow(`locked by process ${live.pid}`);
      const released = said(live, "released");
      live.stdin?.end();
      await released;
    } finally {
      live.kill("SIGKILL");
    }
    await expectFreeAndNothingLeft(file, dir);
  });

  it("the same for a folder that named no holder (an earlier version's, left by a kill) found stale, then replaced", async () => {
    const dir = tempDir();
    const file = path.join(dir, "mlexp.db");
    const lockDir = leaveOwnerlessStaleLock(file);
    const judged = findStaleLock(lockDir);
    expect(judged).toEqual({ ownerless: true });
    removeStaleLock(lockDir, judged as NonNullable<typeof judged>);
    const live = await holder(file);
    try {
      const liveToken = tokenFiles(lockDir);
      removeStaleLock(lockDir, judged as NonNullable<typeof judged>);
      expect(tokenFiles(lockDir)).toEqual(liveToken);
      await expect(takeLock(file, "The run database", 300)).rejects.toThrow("has been locked");
    } finally {
      await killed(live);
    }
  });

  it("what a process killed while it waited left beside the lock is removed by the next holder", async () => {
    const dir = tempDir();
    const file = path.join(dir, "mlexp.db");
    const release = await takeLock(file, "The run database", 1000);
    const waiter = lockChild(["hold", file]);
    const exited = new Promise((resolve) => waiter.on("exit", resolve));
    // Its lock folder is made before it waits: there it is, beside the lock.
    while (!fs.readdirSync(dir).some((name) => name.startsWith("mlexp.db.lock.new-"))) await new Promise((resolve) => setTimeout(resolve, 20));
    waiter.kill("SIGKILL");
    await exited;
    await release();
    expect(fs.readdirSync(dir).filter((name) => name.startsWith("mlexp.db.lock.new-"))).toHaveLength(1);
    await expectFreeAndNothingLeft(file, dir);
  });

  it("processes counting under the lock, its first holder killed while they wait, lose no count and leave nothing behind", async () => {
    const dir = tempDir();
    const file = path.join(dir, "mlexp.db");
    const counter = path.join(dir, "counter");
    fs.writeFileSync(counter, "0");
    const first = await holder(file);
    const counting = [1, 2, 3, 4].map(() => lockChild(["count", file, counter, "20"]));
    const done = counting.map((child) => new Promise((resolve) => child.on("exit", resolve)));
    await killed(first);
    expect(await Promise.all(done)).toEqual([0, 0, 0, 0]);
    expect(fs.readFileSync(counter, "utf8")).toBe("80");
    expect(fs.readdirSync(dir).sort()).toEqual(["counter"]);
  });
});
