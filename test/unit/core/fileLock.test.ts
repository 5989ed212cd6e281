import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { hostname } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { takeLock } from "../../../src/core/util/fileLock";
import { tempDir } from "../../helpers/tempDir";
import { leaveOwnerlessStaleLock } from "./fixtures/staleLocks";

/** The pid of a process that has exited. */
function deadPid(): number {
  const result = spawnSync(process.execPath, ["-e", ""]);
  return result.pid as number;
}

/** A lock folder as a holder leaves it, with a time in the future so that its age never makes it stale. */
function leaveLock(file: string, pid: number): string {
  const lockDir = `${file}.lock`;
  fs.mkdirSync(lockDir);
  fs.writeFileSync(path.join(lockDir, "owner.json"), JSON.stringify({ pid, host: hostname() }));
  const later = new Date(Date.now() + 24 * 3600_000);
  fs.utimesSync(lockDir, later, later);
  return lockDir;
}

describe("takeLock", () => {
  it("takes over at once a lock whose holder was killed, and says who holds it while it waits", async () => {
    const dir = tempDir();
    const file = path.join(dir, "mlexp.db");
    leaveLock(file, deadPid());
    const release = await takeLock(file, "The run database", 1000);
    expect(JSON.parse(fs.readFileSync(`${file}.lock/owner.json`, "utf8"))).toEqual({ pid: process.pid, host: hostname() });
    await release();
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("takes a stale lock whose holder was killed while writing owner.json (left empty)", async () => {
    const dir = tempDir();
    const file = path.join(dir, "mlexp.db");
    const lockDir = leaveOwnerlessStaleLock(file);
    const release = await takeLock(file, "The run database", 2000);
    expect(JSON.parse(fs.readFileSync(path.join(lockDir, "owner.json"), "utf8"))).toEqual({ pid: process.pid, host: hostname() });
    await release();
    expect(fs.existsSync(lockDir)).toBe(false);
  });

  it("waits for a live holder whose lock looks stale by age (too busy to refresh it), naming it", async () => {
    const dir = tempDir();
    const file = path.join(dir, "mlexp.db");
    const lockDir = leaveLock(file, process.pid);
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(lockDir, past, past);
    await expect(takeLock(file, "The run database", 300)).rejects.toThrow(`locked by process ${process.pid} on ${hostname()}`);
    expect(fs.existsSync(path.join(lockDir, "owner.json"))).toBe(true);
  });

  it("waits for a live holder and names it when the wait is too long", async () => {
    const dir = tempDir();
    const file = path.join(dir, "mlexp.db");
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    try {
      const lockDir = leaveLock(file, holder.pid as number);
      await expect(takeLock(file, "The run database", 300)).rejects.toThrow(
        `The run database has been locked by process ${holder.pid} on ${hostname()} for over 0.3 s. Wait for it to finish and try again; if no mlexp process is running, remove the folder ${lockDir}.`,
      );
      expect(fs.existsSync(lockDir)).toBe(true);
    } finally {
      holder.kill("SIGKILL");
    }
  });
});
