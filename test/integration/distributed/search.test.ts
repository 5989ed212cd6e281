import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelRun } from "../../../src/core/index";
import { runCli, runCliJson } from "../../helpers/cli";
import { PROBE_CONFIG, repoWithRemote } from "../../helpers/distributed";
import { git, writeFiles } from "../../helpers/gitRepo";
import { queryDatabaseFile } from "../../helpers/sqlite";
import { databaseOf, trialsOf, usePostgres, useQueueWithWorkers } from "../../helpers/serverSuites";
import { tempDir } from "../../helpers/tempDir";

const queue = useQueueWithWorkers();

const GRID = ["--model", "LogisticRegression", "--model-params", '{"learningRate": [0.05, 0.2, 1], "l2": [0, 0.01], "epochs": 30}', "--dataset", "Synthetic", "--dataset-params", '{"rows": 240, "features": 4, "seed": 5}', "--cv", "3", "--seed", "11"];

async function runsOf(repo: string): Promise<ModelRun[]> {
  return runCliJson<ModelRun[]>(["runs"], repo);
}

async function leftInQueue(): Promise<string[]> {
  return queue.redis.cli("--scan", "--pattern", "bull:mlexp-trials:2*").split("\n").filter(Boolean);
}

describe("a search distributed over workers", () => {
  it("gives bit-identical trial scores, parameters and metrics to the in-process search, over 3 workers", async () => {
    const { repo } = repoWithRemote();
    const local = await runCliJson<ModelRun>(["train", ...GRID], repo);
    const pool = await queue.startWorkers(3, repo);
    const distributed = await runCliJson<ModelRun>(["train", ...GRID, "--queue", queue.redis.url], repo);

    expect(distributed.status).toBe("finished");
    expect(distributed.hyperparameters).toEqual(local.hyperparameters);
    expect(distributed.metrics).toStrictEqual(local.metrics);
    const [localTrials, remoteTrials] = await Promise.all([trialsOf(repo, local.run_id), trialsOf(repo, distributed.run_id)]);
    expect(remoteTrials).toHaveLength(6);
    expect(remoteTrials.map((t) => [t.trial, t.params, t.score, t.fold_scores])).toStrictEqual(localTrials.map((t) => [t.trial, t.params, t.score, t.fold_scores]));
    // Every trial says which worker scored it; each worker fetched the commit at most once.
    const names = pool.map((w) => `${w.lines[0].match(/worker (\S+) takes/)?.[1]}`);
    for (const trial of remoteTrials) expect(names).toContain(trial.worker);
    for (const w of pool) expect(w.lines.filter((l) => l.includes("fetched ")).length).toBeLessThanOrEqual(1);
    const rows = await queryDatabaseFile(path.join(repo, ".mlexp", "mlexp.db"), `SELECT trial, worker, host, start_time, duration_ms, status FROM search_trials WHERE run_id = '${distributed.run_id}'`);
    expect(rows.map((r) => r.trial).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    for (const row of rows) expect(row).toMatchObject({ status: "finished", host: expect.any(String), start_time: expect.stringMatching(/^\d{4}-/), duration_ms: expect.any(Number) });
    // The snapshot ref went to the remote; the user's working tree was never touched.
    expect(git(repo, "ls-remote", "origin", `refs/mlexp/runs/${distributed.run_id}`)).toContain(distributed.githash as string);
    expect(git(repo, "status", "--porcelain")).toBe("");
    expect(await leftInQueue()).toEqual([]);
  });

  it("records a throwing trial as failed with its message and goes on; --max-failures stops the search", async () => {
    const { repo } = repoWithRemote();
    await queue.startWorkers(2, repo);
    const args = ["train", "--model", "Probe", "--model-params", '{"value": [1, 2, 3, 4], "failOn": 3}', "--dataset", "Synthetic", "--dataset-params", '{"rows": 120}', "--queue", queue.redis.url];
    const run = await runCliJson<ModelRun>(args, repo);
    expect(run.status).toBe("finished");
    const trials = await trialsOf(repo, run.run_id);
    expect(trials.map((t) => t.status)).toEqual(["finished", "finished", "failed", "finished"]);
    expect(trials[2].error).toContain("probe refuses value 3");
    expect(trials[2].score).toBeNull();

    const stopped = await runCli([...args, "--max-failures", "0"], { cwd: repo });
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/The search stopped: 1 trials failed, more than --max-failures 0\. The first failed with: probe refuses value 3/);
    const failed = (await runsOf(repo)).find((r) => r.run_id !== run.run_id);
    expect(failed?.status).toBe("failed");
    expect(await leftInQueue()).toEqual([]);
  });

  it("fails clearly, recording nothing, when the queue is unreachable", async () => {
    const { repo } = repoWithRemote();
    const result = await runCli(["train", ...GRID, "--queue", "redis://127.0.0.1:1"], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^mlexp: The queue redis:\/\/127\.0\.0\.1:1 has been unreachable: .*ECONNREFUSED.*Check that redis-server runs there/m);
    expect(fs.existsSync(path.join(repo, ".mlexp", "mlexp.db"))).toBe(false);
    const bad = await runCli(["train", ...GRID, "--queue", "http://user:secret@x"], { cwd: repo });
    expect(bad.stderr).toContain('"http://x" is not a Redis URL');
    expect(bad.stderr).not.toContain("secret");
  });

  it.each([
    ["a worker on another store", (): { store?: string; remote?: string } => ({ store: tempDir() }), /This worker's store .* is not the run's store/],
    ["a worker whose remote lacks the run", (): { store?: string; remote?: string } => ({ remote: emptyRemote() }), /Could not fetch the code of run .* couldn't find remote ref refs\/mlexp\/runs\//],
  ])("fails every trial clearly, recording none as good: %s", async (_, options, message) => {
    const { repo } = repoWithRemote();
    const given = options();
    const [worker] = await queue.startWorkers(1, given.store ?? repo, { remote: given.remote });
    const result = await runCli(["train", "--model", "Probe", "--model-params", '{"value": [1, 2]}', "--dataset", "Synthetic", "--queue", queue.redis.url], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/All 2 search trials failed\. The first failed with: /);
    expect(result.stderr).toMatch(message);
    const [run] = await runsOf(repo);
    expect(run.status).toBe("failed");
    const trials = await trialsOf(repo, run.run_id);
    expect(trials.map((t) => t.status)).toEqual(["failed", "failed"]);
    expect(worker.lines.some((l) => message.test(l))).toBe(true);
  });

  it("fails clearly when the run's code does not build on the worker", async () => {
    // The config imports a package only the coordinator's machine has installed: node_modules is
    // ignored by git, so the run's snapshot has none and the worker cannot load the code.
    const { repo } = repoWithRemote({ "mlexp.config.ts": 'import "local-only";\nimport "./probe";\n', "probe.ts": PROBE_CONFIG });
    writeFiles(repo, { "node_modules/local-only/index.js": "module.exports = {};\n" });
    await queue.startWorkers(1, repo);
    const result = await runCli(["train", "--model", "Probe", "--model-params", '{"value": [1, 2]}', "--dataset", "Synthetic", "--queue", queue.redis.url], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/All 2 search trials failed\. The first failed with: Could not load mlexp\.config\.ts: Cannot find module 'local-only'/);
    const [run] = await runsOf(repo);
    expect(run.status).toBe("failed");
    expect((await trialsOf(repo, run.run_id)).every((t) => t.status === "failed")).toBe(true);
  });
});

describe("a search distributed over workers with the team's PostgreSQL store", () => {
  const team = usePostgres();

  it("records the run and every trial (with its worker) in PostgreSQL; workers read the data there, not in the coordinator's folder", async () => {
    const { repo } = repoWithRemote();
    const url = await team.server.createDatabase();
    const env = { PGPASSWORD: team.server.password };
    await queue.startWorkers(2, url, { env });
    const result = await runCli(["--store", url, "train", ...GRID, "--queue", queue.redis.url, "--json"], { cwd: repo, env });
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout) as ModelRun;
    const rows = (await team.server.query(databaseOf(url), "SELECT trial, status, worker FROM search_trials WHERE run_id = $1 ORDER BY trial", [run.run_id])) as { trial: number; status: string; worker: string }[];
    expect(rows.map((r) => [r.trial, r.status])).toEqual([0, 1, 2, 3, 4, 5].map((i) => [i, "finished"]));
    expect(rows.every((r) => /\/\d+$/.test(r.worker))).toBe(true);
    expect(JSON.stringify(await team.server.query(databaseOf(url), "SELECT * FROM model_runs"))).not.toContain(team.server.password);
  });
});

function emptyRemote(): string {
  const remote = path.join(tempDir(), "empty.git");
  git(path.dirname(remote), "init", "-q", "--bare", remote);
  return remote;
}
