import { spawn } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { RunDatabase } from "../../src/core/store/database";
import { WorkspaceRunStore } from "../../src/core/store/workspaceRunStore";
import { queryDatabaseFile } from "../helpers/sqlite";
import { tempDir } from "../helpers/tempDir";

const WRITER = path.join(__dirname, "fixtures", "journalWriter.ts");
const REPO = path.resolve(__dirname, "..", "..");

/** Starts a writer and kills it with SIGKILL once it acknowledged `after` trainings; resolves with what it acknowledged. */
function writeUntilKilled(file: string, name: string, after: number, checkpointBytes: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WRITER, file, name, String(checkpointBytes)], { cwd: REPO, env: { ...process.env, NODE_OPTIONS: "" } });
    const acked: string[] = [];
    let buffered = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) if (line.startsWith("ack ")) acked.push(line.slice(4));
      // Killed at once, wherever it is: in an append, a checkpoint's renames, or between writes.
      if (acked.length >= after && child.exitCode === null) child.kill("SIGKILL");
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (_code, signal) => (signal === "SIGKILL" ? resolve(acked) : reject(new Error(`writer ${name} stopped on its own: ${stderr}`))));
  });
}

describe("writers killed with SIGKILL in the middle of their writes", () => {
  it("lose no acknowledged training, leave no half-written one, and the store stays readable and writable", async () => {
    const file = path.join(tempDir(), ".mlexp", "mlexp.db");
    const acknowledged: string[] = [];
    // Three rounds of three writers at once, each killed after a different number of trainings;
    // a small checkpoint size makes some kills land while the journal is being folded in.
    for (let round = 0; round < 3; round++) {
      const rounds = await Promise.all([0, 1, 2].map((w) => writeUntilKilled(file, `${round}${w}`, 3 + ((round + w) % 4) * 2, 6000)));
      acknowledged.push(...rounds.flat());
    }
    const store = new WorkspaceRunStore(new RunDatabase(file));
    const runs = await store.listRuns();
    const byId = new Map(runs.map((run) => [run.run_id, run]));
    expect(acknowledged.length).toBeGreaterThan(20);
    for (const id of acknowledged) {
      expect(byId.get(id)?.status, id).toBe("finished");
      expect(await store.getHistory(id), id).toHaveLength(20);
    }
    // A training killed between its two writes has a running row (read as crashed), never a finished one without its curve.
    for (const run of runs) {
      if (run.status === "finished") expect(await store.getHistory(run.run_id)).toHaveLength(20);
      else expect(run.status).toBe("crashed");
    }
    expect((await queryDatabaseFile(file, "PRAGMA integrity_check"))[0].integrity_check).toBe("ok");
    // And the next writer goes on after whatever the last kill left.
    const after = await writeUntilKilled(file, "99", 2, 6000);
    const reread = new WorkspaceRunStore(new RunDatabase(file));
    for (const id of [...acknowledged, ...after]) expect((await reread.getRun(id))?.status, id).toBe("finished");
  });
});
