import { spawn } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { RunDatabase } from "../../../src/core/store/database";
import type { ModelRun } from "../../../src/core/store/runRecord";
import { WorkspaceRunStore } from "../../../src/core/store/workspaceRunStore";
import { CLI, runCli } from "../../helpers/cli";
import { git, initRepo } from "../../helpers/gitRepo";
import { databaseOf, usePostgres } from "../../helpers/serverSuites";
import { tempDir } from "../../helpers/tempDir";

const team = usePostgres();


/** A repository with a bare remote `origin`, as a team has. */
function cloneOfRemote(remote?: string): { dir: string; remote: string } {
  const bare = remote ?? tempDir();
  if (!remote) git(bare, "init", "-q", "--bare", "-b", "main");
  const dir = tempDir();
  if (remote) {
    git(dir, "clone", "-q", bare, ".");
  } else {
    initRepo(dir, { ".gitignore": "node_modules\n", "notes.txt": "v1\n" });
    git(dir, "remote", "add", "origin", bare);
    git(dir, "push", "-q", "origin", "main");
  }
  return { dir, remote: bare };
}

const trainArgs = (rows = 300, seed = 3) => [
  "train", "--model", "LogisticRegression", "--model-params", '{"learningRate":[0.01,0.05],"epochs":5}', "--search", "grid", "--cv", "2",
  "--dataset", "Synthetic", "--dataset-params", JSON.stringify({ rows, features: 4, seed }), "--json",
];

describe("sharing runs through a team store and a git remote", () => {
  it("a run trained against the team store reproduces `identical` in another clone: its snapshot ref went to origin", async () => {
    const url = await team.server.createDatabase();
    const env = { PGPASSWORD: team.server.password, MLEXP_STORE: url };
    const first = cloneOfRemote();
    // A dirty working tree: the snapshot is a commit only this clone had.
    const { writeFiles } = await import("../../helpers/gitRepo");
    writeFiles(first.dir, { "notes.txt": "v2, not committed\n" });
    const trained = await runCli(trainArgs(), { cwd: first.dir, env });
    expect(trained.stderr).toBe("");
    const run = JSON.parse(trained.stdout) as ModelRun;
    expect(run.dirty).toBe(true);
    expect(git(first.remote, "for-each-ref", "--format=%(refname)", "refs/mlexp/runs")).toContain(run.run_id);
    const second = cloneOfRemote(first.remote);
    const reproduced = await runCli(["reproduce", run.run_id, "--json"], { cwd: second.dir, env });
    expect(reproduced.stderr).toBe("");
    expect(JSON.parse(reproduced.stdout).verdict).toBe("identical");
  });

  it("push and pull between a workspace and the team store: idempotent, and resumable after kill -9", async () => {
    const url = await team.server.createDatabase();
    const env = { PGPASSWORD: team.server.password };
    const { dir } = cloneOfRemote();
    const runs: ModelRun[] = [];
    for (const seed of [1, 2]) runs.push(JSON.parse((await runCli(trainArgs(400, seed), { cwd: dir })).stdout));
    // Many more runs in the workspace, copies of the two with their curves and trials, so a push takes a while.
    const local = new WorkspaceRunStore(new RunDatabase(path.join(dir, ".mlexp", "mlexp.db")));
    const history = await local.getHistory(runs[0].run_id);
    const trials = await local.getTrials(runs[0].run_id);
    for (let i = 0; i < 150; i++) {
      const original = runs[i % 2];
      const id = `20261126-0700${String(i % 60).padStart(2, "0")}-${(0x10000000 + i).toString(16)}`;
      await local.importRun({ run: { ...original, run_id: id, githash: null }, history, trials });
    }
    await local.close();

    const push = spawn(process.execPath, [CLI, "push", "--to", url], { cwd: dir, env: { ...process.env, ...env }, stdio: "ignore" });
    while ((await team.count(url, "model_runs").catch(() => 0)) < 20) await new Promise((resolve) => setTimeout(resolve, 50));
    push.kill("SIGKILL");
    await new Promise((resolve) => push.once("exit", resolve));
    const afterKill = await team.count(url, "model_runs");
    expect(afterKill).toBeLessThan(152);

    const again = await runCli(["push", "--to", url, "--json"], { cwd: dir, env });
    expect(again.stderr).toBe("");
    const report = JSON.parse(again.stdout);
    expect(report.failed).toEqual([]);
    expect(report.created.length + report.unchanged.length).toBe(152);
    expect(report.unchanged.length).toBeGreaterThanOrEqual(afterKill);
    expect(await team.count(url, "model_runs")).toBe(152);
    // Every run whole: the same curve points and trials as in the workspace, and both datasets.
    const reread = new WorkspaceRunStore(new RunDatabase(path.join(dir, ".mlexp", "mlexp.db")));
    const expected: Record<string, string> = {};
    for (const run of await reread.listRuns()) expected[run.run_id] = `${(await reread.getHistory(run.run_id)).length}/${(await reread.getTrials(run.run_id)).length}`;
    await reread.close();
    expect(Object.values(expected).some((counts) => counts !== "0/0")).toBe(true);
    const stored = (await team.server.query(
      databaseOf(url),
      "SELECT r.run_id, (SELECT count(*) FROM metric_history h WHERE h.run_id = r.run_id) || '/' || (SELECT count(*) FROM search_trials t WHERE t.run_id = r.run_id) AS counts FROM model_runs r",
    )) as { run_id: string; counts: string }[];
    expect(Object.fromEntries(stored.map((row) => [row.run_id, row.counts]))).toEqual(expected);
    expect(await team.count(url, "dataset_manifests")).toBe(2);

    const third = await runCli(["push", "--to", url, "--json"], { cwd: dir, env });
    const thirdReport = JSON.parse(third.stdout);
    expect(thirdReport.unchanged).toHaveLength(152);
    expect(thirdReport.chunksSent).toBe(0);

    // Pull into a fresh clone: the runs, their data (a reproduction needs no data access) and their code.
    const clone = tempDir();
    git(clone, "clone", "-q", dir, ".");
    const pulled = await runCli(["pull", runs[0].run_id, runs[1].run_id, "--from", url, "--json"], { cwd: clone, env });
    expect(pulled.stderr).toBe("");
    expect(JSON.parse(pulled.stdout).created).toHaveLength(2);
    const reproduced = await runCli(["reproduce", runs[1].run_id, "--json"], { cwd: clone });
    expect(reproduced.stderr).toBe("");
    expect(JSON.parse(reproduced.stdout).verdict).toBe("identical");
  });

  it("the server stopped while a training runs: the result stays in the workspace and `mlexp push` sends it later", async () => {
    const url = await team.server.createDatabase();
    const env = { PGPASSWORD: team.server.password, MLEXP_STORE: url };
    const { dir } = cloneOfRemote();
    const args = ["train", "--model", "RandomForestClassifier", "--model-params", '{"nEstimators":150}', "--dataset", "Synthetic", "--dataset-params", JSON.stringify({ rows: 6000, features: 12, seed: 5 })];
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    while ((await team.count(url, "model_runs").catch(() => 0)) < 1) await new Promise((resolve) => setTimeout(resolve, 50));
    await team.server.kill();
    expect(await exited).toBe(1);
    expect(stderr).toMatch(/Cannot reach the PostgreSQL server 127\.0\.0\.1.*kept in the workspace database.*mlexp push \d{8}-\d{6}-[0-9a-f]{8}/);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    const runId = /mlexp push (\S+)`/.exec(stderr)?.[1] as string;
    const local = new WorkspaceRunStore(new RunDatabase(path.join(dir, ".mlexp", "mlexp.db")));
    expect((await local.getRun(runId))?.status).toBe("finished");
    await local.close();

    await team.server.restart();
    const pushed = await runCli(["push", runId, "--json"], { cwd: dir, env });
    expect(pushed.stderr).toBe("");
    expect(JSON.parse(pushed.stdout).updated).toEqual([runId]);
    const listed = JSON.parse((await runCli(["show", runId, "--json"], { cwd: tempDir(), env })).stdout);
    expect(listed.status).toBe("finished");
  });
});
