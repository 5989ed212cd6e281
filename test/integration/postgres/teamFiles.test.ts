import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelRun } from "../../../src/core/store/runRecord";
import { CLI, runCli } from "../../helpers/cli";
import { initRepo } from "../../helpers/gitRepo";
import { packFiles } from "../../helpers/storedChunks";
import { databaseOf, usePostgres } from "../../helpers/serverSuites";
import { tempDir } from "../../helpers/tempDir";

const team = usePostgres();


function workspace(): string {
  const dir = tempDir();
  initRepo(dir, { ".gitignore": "node_modules\n" });
  return dir;
}

const trainArgs = (seed: number) => ["train", "--model", "LogisticRegression", "--dataset", "Synthetic", "--dataset-params", JSON.stringify({ rows: 300, features: 4, seed }), "--json"];

/** Every file of a run folder (but the pending mark) with the SHA-256 of its content. */
function filesOf(runDir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(runDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === "starting.json") continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(runDir, file).split(path.sep).join("/")] = createHash("sha256").update(fs.readFileSync(file)).digest("hex");
  }
  return files;
}

const runDir = (dir: string, runId: string) => path.join(dir, ".mlexp", "runs", runId);

/** Runs the CLI, kills it with SIGKILL as soon as `ready` says so (or lets it finish), and says which. */
async function killWhen(args: string[], cwd: string, env: NodeJS.ProcessEnv, ready: () => Promise<boolean>): Promise<"killed" | "finished"> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: "ignore" });
  let exited = false;
  const done = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));
  while (!exited && !(await ready().catch(() => false))) await new Promise((resolve) => setTimeout(resolve, 20));
  if (exited) return "finished";
  child.kill("SIGKILL");
  await done;
  return "killed";
}

/** No half-written run is visible: each run row has its file list, and every chunk the lists name is stored. */
async function everyListedRunIsWhole(url: string): Promise<void> {
  expect(await team.count(url, "model_runs r WHERE NOT EXISTS (SELECT 1 FROM run_files f WHERE f.run_id = r.run_id)")).toBe(0);
  const missing = await team.count(
    url,
    "(SELECT DISTINCT jsonb_array_elements_text(f -> 'chunks') AS hash FROM run_files, jsonb_array_elements(files) AS f) AS named WHERE NOT EXISTS (SELECT 1 FROM object_chunks c WHERE c.hash = named.hash)",
  );
  expect(missing).toBe(0);
}

describe("a run's artifact files travel with it", () => {
  it("push and pull copy each run's folder, verified by hash, idempotent and resumable after kill -9", async () => {
    const url = await team.server.createDatabase();
    const env = { PGPASSWORD: team.server.password };
    const source = workspace();
    const runs = [1, 2].map(() => undefined as unknown as ModelRun);
    for (const [i, seed] of [1, 2].entries()) runs[i] = JSON.parse((await runCli(trainArgs(seed), { cwd: source })).stdout);
    // A large model file (random bytes do not compress), so that a copy takes long enough to be killed in the middle.
    fs.writeFileSync(path.join(runDir(source, runs[1].run_id), "model", "weights.bin"), randomBytes(24 * 1024 * 1024));
    fs.mkdirSync(path.join(runDir(source, runs[0].run_id), "notes"));
    fs.writeFileSync(path.join(runDir(source, runs[0].run_id), "notes", "empty.txt"), "");
    const expected = Object.fromEntries(runs.map((run) => [run.run_id, filesOf(runDir(source, run.run_id))]));
    expect(Object.keys(expected[runs[1].run_id])).toEqual(expect.arrayContaining(["run.json", "model/weights.bin", "params.json"]));

    // Killed once some chunks are in the team store, before every run is.
    const push = await killWhen(["push", "--to", url], source, env, async () => (await team.count(url, "object_chunks")) > 0);
    if (push === "killed") await everyListedRunIsWhole(url);
    const pushed = await runCli(["push", "--to", url, "--json"], { cwd: source, env });
    expect(pushed.stderr).toBe("");
    expect(JSON.parse(pushed.stdout).failed).toEqual([]);
    expect(await team.count(url, "model_runs")).toBe(2);
    expect(await team.count(url, "run_files")).toBe(2);
    await everyListedRunIsWhole(url);
    const again = JSON.parse((await runCli(["push", "--to", url, "--json"], { cwd: source, env })).stdout);
    expect(again).toMatchObject({ unchanged: runs.map((r) => r.run_id), chunksSent: 0, filesCopied: 0 });

    // Pull into a fresh workspace, killed once the big file is being written, then again.
    const target = workspace();
    const weights = runDir(target, runs[1].run_id);
    const pull = await killWhen(["pull", "--from", url], target, env, async () => fs.existsSync(weights) && packFiles(path.join(target, ".mlexp", "objects")).length > 0);
    if (pull === "killed") {
      // What the killed pull left: no run row without all its files.
      const listed = JSON.parse((await runCli(["runs", "--json", "--all"], { cwd: target })).stdout) as ModelRun[];
      for (const run of listed) expect(filesOf(runDir(target, run.run_id))).toEqual(expected[run.run_id]);
    }
    const pulled = await runCli(["pull", "--from", url, "--json"], { cwd: target, env });
    expect(pulled.stderr).toBe("");
    expect(JSON.parse(pulled.stdout).failed).toEqual([]);
    for (const run of runs) expect(filesOf(runDir(target, run.run_id))).toEqual(expected[run.run_id]);
    const third = JSON.parse((await runCli(["pull", "--from", url, "--json"], { cwd: target, env })).stdout);
    expect(third).toMatchObject({ unchanged: runs.map((r) => r.run_id), chunksSent: 0, filesCopied: 0 });
    // No temporary file is left behind.
    expect(Object.keys(filesOf(runDir(target, runs[1].run_id))).filter((file) => file.endsWith(".tmp"))).toEqual([]);

    // A damaged chunk in the team store is refused on pull, and the good copy on disk stays.
    await team.server.query(databaseOf(url), "UPDATE object_chunks SET bytes = '\\x00'::bytea WHERE hash = (SELECT f -> 'chunks' ->> 0 FROM run_files, jsonb_array_elements(files) f WHERE f ->> 'path' = 'model/weights.bin')");
    fs.rmSync(path.join(target, ".mlexp", "objects"), { recursive: true, force: true });
    fs.writeFileSync(path.join(weights, "model", "weights.bin"), "changed here");
    const damaged = await runCli(["pull", runs[1].run_id, "--from", url, "--json"], { cwd: target, env });
    expect(JSON.parse(damaged.stdout).failed[0].reason).toMatch(/does not match its hash/);
    expect(fs.readFileSync(path.join(weights, "model", "weights.bin"), "utf8")).toBe("changed here");
  });

  it("a training against the team store sends its model files; a pull elsewhere gets them", async () => {
    const url = await team.server.createDatabase();
    const env = { PGPASSWORD: team.server.password, MLEXP_STORE: url };
    const trainer = workspace();
    const run = JSON.parse((await runCli(trainArgs(7), { cwd: trainer, env })).stdout) as ModelRun;
    await everyListedRunIsWhole(url);
    const other = workspace();
    const pulled = await runCli(["pull", run.run_id, "--json"], { cwd: other, env });
    expect(pulled.stderr).toBe("");
    expect(filesOf(runDir(other, run.run_id))).toEqual(filesOf(runDir(trainer, run.run_id)));
    expect(Object.keys(filesOf(runDir(other, run.run_id)))).toEqual(expect.arrayContaining(["run.json", "features.json", "metrics.json"]));
  });
});
