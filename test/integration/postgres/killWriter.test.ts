import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelRun } from "../../../src/core/store/runRecord";
import { CLI, runCli } from "../../helpers/cli";
import { initRepo } from "../../helpers/gitRepo";
import { databaseOf, usePostgres } from "../../helpers/serverSuites";
import { tempDir } from "../../helpers/tempDir";

const team = usePostgres();

const sql = (url: string, text: string, params: unknown[] = []) => team.server.query(databaseOf(url), text, params) as Promise<Record<string, unknown>[]>;

function workspace(): string {
  const dir = tempDir();
  initRepo(dir, { ".gitignore": "node_modules\n" });
  return dir;
}

const trainArgs = [
  "train", "--model", "LogisticRegression", "--model-params", '{"learningRate":[0.01,0.05],"epochs":5}', "--search", "grid", "--cv", "2",
  "--dataset", "Synthetic", "--dataset-params", JSON.stringify({ rows: 400, features: 4, seed: 9 }), "--json",
];

/** Each run as every reader sees it, with how many curve points and trials are stored for it. */
async function storedRuns(url: string): Promise<{ run_id: string; status: string; metrics: object; points: number; trials: number }[]> {
  return (await sql(
    url,
    `SELECT r.run_id, r.status, r.metrics, (SELECT count(*)::int FROM metric_history h WHERE h.run_id = r.run_id) AS points,
       (SELECT count(*)::int FROM search_trials t WHERE t.run_id = r.run_id) AS trials FROM model_runs r ORDER BY r.run_id`,
  )) as never;
}

/** Waits until the server has rolled back the killed process's transaction (its connection is gone). */
async function untilNoOpenTransaction(url: string): Promise<void> {
  const open = async () => (await sql(url, "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'mlexp'", [databaseOf(url)]))[0].n as number;
  while ((await open()) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe("kill -9 of a training while it writes its run to PostgreSQL", () => {
  it("held in the middle of writing its end (rows written, not committed), then killed: no reader ever sees the half-written run", async () => {
    const url = await team.server.createDatabase();
    const dir = workspace();
    const marker = path.join(tempDir(), "holding");
    const env = { ...process.env, PGPASSWORD: team.server.password, MLEXP_STORE: url, MLEXP_TEST_HOLD_FINISH: marker };
    const child = spawn(process.execPath, [CLI, ...trainArgs], { cwd: dir, env, stdio: "ignore" });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    while (!fs.existsSync(marker)) await new Promise((resolve) => setTimeout(resolve, 20));

    // The end is written inside the open transaction: others still see a running run without curves or trials.
    const during = await storedRuns(url);
    expect(during).toHaveLength(1);
    expect(during[0]).toMatchObject({ status: "running", metrics: {}, points: 0, trials: 0 });
    child.kill("SIGKILL");
    await exited;
    await untilNoOpenTransaction(url);
    expect(await storedRuns(url)).toEqual(during);

    // Readers see it as crashed once its heartbeat is stale (older than 60 s), from any workspace.
    await sql(url, "UPDATE run_heartbeats SET beat_at = now() - interval '61 seconds'");
    const listed = await runCli(["runs", "--json", "--all"], { cwd: tempDir(), env: { PGPASSWORD: team.server.password, MLEXP_STORE: url } });
    const [run] = JSON.parse(listed.stdout) as ModelRun[];
    expect(run).toMatchObject({ run_id: during[0].run_id, status: "crashed", metrics: {} });
  });

  it("killed at random moments, again and again: every run any reader sees finished has all its curves and trials", async () => {
    const url = await team.server.createDatabase();
    const dir = workspace();
    const env = { PGPASSWORD: team.server.password, MLEXP_STORE: url };
    const started = Date.now();
    const whole = JSON.parse((await runCli(trainArgs, { cwd: dir, env })).stdout) as ModelRun;
    const duration = Date.now() - started;
    const [reference] = (await storedRuns(url)).filter((run) => run.run_id === whole.run_id);
    expect(reference.points).toBeGreaterThan(0);
    expect(reference.trials).toBe(2);

    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const child = spawn(process.execPath, [CLI, ...trainArgs], { cwd: dir, env: { ...process.env, ...env }, stdio: "ignore" });
      let done = false;
      const exited = new Promise((resolve) => child.once("exit", () => ((done = true), resolve(undefined))));
      // Spread over the whole training, its last part (the end being written) included.
      await new Promise((resolve) => setTimeout(resolve, ((i + Math.random()) / 8) * duration * 1.2));
      outcomes.push(done ? "finished" : "killed");
      child.kill("SIGKILL");
      await exited;
      await untilNoOpenTransaction(url);
      for (const run of await storedRuns(url)) {
        if (run.status === "finished") expect({ points: run.points, trials: run.trials }).toEqual({ points: reference.points, trials: reference.trials });
        else expect(run).toMatchObject({ status: "running", metrics: {} });
      }
    }
    expect(outcomes).toContain("killed");
  });
});
