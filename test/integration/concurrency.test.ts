import { spawn } from "node:child_process";
import * as path from "node:path";
import { queryRawDatabaseFile } from "../helpers/sqlite";
import { describe, expect, it } from "vitest";
import type { ModelRun } from "../../src/core/index";
import { SCHEMA_VERSION } from "../../src/core/store/schema";
import { CLI, runCli, runCliJson } from "../helpers/cli";
import { tempDir } from "../helpers/tempDir";

describe("concurrent runs lose nothing", () => {
  it("records all 8 trainings started at once in separate processes", async () => {
    const dir = tempDir();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        runCli(["train", "--json", "--model", "LogisticRegression", "--model-params", `{"epochs": ${i + 1}}`, "--dataset", "Synthetic", "--dataset-params", '{"rows": 200}'], { cwd: dir }),
      ),
    );
    expect(results.map((r) => r.code)).toEqual(new Array(8).fill(0));
    const ids = results.map((r) => (JSON.parse(r.stdout) as ModelRun).run_id);
    const runs = await runCliJson<ModelRun[]>(["runs"], dir);
    expect(runs.map((r) => r.run_id).sort()).toEqual([...ids].sort());
    expect(runs.every((r) => r.status === "finished")).toBe(true);
    expect(new Set(runs.map((r) => r.hyperparameters.epochs)).size).toBe(8);
    // Eight processes opened a store that did not exist yet: the schema was created exactly once.
    const [meta] = await queryRawDatabaseFile(path.join(dir, ".mlexp", "mlexp.db"), "PRAGMA user_version");
    expect(meta.user_version).toBe(SCHEMA_VERSION);
    const tables = await queryRawDatabaseFile(path.join(dir, ".mlexp", "mlexp.db"), "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    expect(tables.map((t) => t.name)).toEqual(["metric_history", "model_runs", "search_trials", "store_meta"]);
  });

  it("shows a killed training as crashed, not running forever", async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [CLI, "train", "--model", "MLPClassifierTfjs", "--model-params", '{"epochs": 100000}', "--dataset", "Synthetic", "--dataset-params", '{"rows": 2000}'], { cwd: dir, stdio: "ignore" });
    const running = await waitFor(async () => {
      const runs = await runCliJson<ModelRun[]>(["runs"], dir).catch(() => []);
      return runs.find((r) => r.status === "running");
    });
    expect(running.pid).toBe(child.pid);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.on("exit", resolve));
    const after = await runCliJson<ModelRun[]>(["runs"], dir);
    expect(after[0]).toMatchObject({ run_id: running.run_id, status: "crashed" });
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("timed out waiting");
}
