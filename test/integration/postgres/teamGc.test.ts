import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compressChunk, sha256 } from "../../../src/core/objects/chunkBytes";
import { PostgresDatabase } from "../../../src/core/store/postgres/database";
import { PostgresObjectBackend } from "../../../src/core/store/postgres/postgresObjectBackend";
import { PostgresRunStore } from "../../../src/core/store/postgres/postgresRunStore";
import type { ModelRun } from "../../../src/core/store/runRecord";
import { runCli } from "../../helpers/cli";
import { initRepo } from "../../helpers/gitRepo";
import { databaseOf, usePostgres } from "../../helpers/serverSuites";
import { makeRun } from "../../helpers/runs";
import { tempDir } from "../../helpers/tempDir";

const team = usePostgres();

/** As if everything in the team store had been written two hours ago (beyond gc's one-hour grace). */
const ageTeamStore = (url: string) =>
  Promise.all(["object_chunks", "dataset_manifests", "run_files"].map((table) => team.server.query(databaseOf(url), `UPDATE ${table} SET stored_at = now() - interval '2 hours'`)));

function workspace(): string {
  const dir = tempDir();
  initRepo(dir, { ".gitignore": "node_modules\n" });
  return dir;
}

const trainArgs = (seed: number) => ["train", "--model", "LogisticRegression", "--dataset", "Synthetic", "--dataset-params", JSON.stringify({ rows: 400, features: 4, seed }), "--json"];

describe("mlexp gc with a team store", () => {
  it("collects the PostgreSQL chunks, datasets and file lists no run uses, after the grace and never a running training's; the local cache too", async () => {
    const url = await team.server.createDatabase();
    const env = { PGPASSWORD: team.server.password, MLEXP_STORE: url };
    const dir = workspace();
    const kept = JSON.parse((await runCli(trainArgs(1), { cwd: dir, env })).stdout) as ModelRun;
    const dropped = JSON.parse((await runCli(trainArgs(2), { cwd: dir, env })).stdout) as ModelRun;
    expect(kept.dataset_hash).not.toBe(dropped.dataset_hash);
    const before = { chunks: await team.count(url, "object_chunks"), datasets: await team.count(url, "dataset_manifests"), files: await team.count(url, "run_files") };
    expect(before).toMatchObject({ datasets: 2, files: 2 });
    expect((await runCli(["delete", dropped.run_id], { cwd: dir, env })).code).toBe(0);
    const gc = async (...flags: string[]) => {
      const result = await runCli(["gc", "--json", ...flags], { cwd: dir, env });
      expect(result.stderr).toBe("");
      return JSON.parse(result.stdout);
    };
    const localManifest = (hash: string) => path.join(dir, ".mlexp", "objects", "datasets", `${hash}.json`);
    expect(fs.existsSync(localManifest(dropped.dataset_hash as string))).toBe(true);

    // Everything is younger than the grace: nothing goes.
    expect((await gc()).team).toMatchObject({ removedDatasets: 0, removedRunFiles: 0, removedChunks: 0 });
    expect(await team.count(url, "object_chunks")).toBe(before.chunks);

    // Older than the grace, but a training that started before them is still running (on another host): nothing goes.
    await ageTeamStore(url);
    const store = new PostgresRunStore(new PostgresDatabase(url, { password: team.server.password }));
    const running = makeRun({ run_id: "20261126-064801-0000000b", status: "running", end_time: null, host: "another-host", pid: 1, start_time: new Date(Date.now() - 3 * 3600_000).toISOString() });
    try {
      await store.createRun(running);
      expect((await gc()).team).toMatchObject({ removedDatasets: 0, removedRunFiles: 0, removedChunks: 0 });

      // An old chunk no run uses, that a copy has just found (and will refer to): it gets a new time and stays.
      const objects = new PostgresObjectBackend(new PostgresDatabase(url, { password: team.server.password }));
      const content = randomBytes(1000);
      await objects.putChunks([{ hash: sha256(content), bytes: await compressChunk(content) }]);
      await ageTeamStore(url);
      expect(await objects.missingChunks([sha256(content)])).toEqual([]);

      // The training ended: the deleted run's dataset, file list and chunks go; the other run's stay.
      await store.updateRun(running.run_id, { status: "finished", end_time: new Date().toISOString() });
      const collected = (await gc()).team;
      expect(collected).toMatchObject({ removedDatasets: 1, removedRunFiles: 1, keptDatasets: 1 });
      expect(collected.removedChunks).toBeGreaterThan(0);
      expect(await team.count(url, "object_chunks")).toBe(before.chunks + 1 - collected.removedChunks);
      expect(await team.server.query(databaseOf(url), "SELECT run_id FROM run_files")).toEqual([{ run_id: kept.run_id }]);
      expect(await objects.missingChunks([sha256(content)])).toEqual([]);
      expect((await gc()).team).toMatchObject({ removedDatasets: 0, removedRunFiles: 0, removedChunks: 0 });
    } finally {
      await store.close();
    }

    // The local read-through cache: the deleted run's dataset goes once it is past the grace (--now), the kept run's stays.
    expect(fs.existsSync(localManifest(dropped.dataset_hash as string))).toBe(true);
    const local = await gc("--now");
    expect(local.removedDatasets).toBe(1);
    expect(fs.existsSync(localManifest(dropped.dataset_hash as string))).toBe(false);
    expect(fs.existsSync(localManifest(kept.dataset_hash as string))).toBe(true);

    // What is left is whole: the kept run pulls into a fresh workspace (its data and files checked by hash) and reproduces.
    const other = workspace();
    const pulled = await runCli(["pull", kept.run_id, "--json"], { cwd: other, env });
    expect(pulled.stderr).toBe("");
    expect(JSON.parse(pulled.stdout).created).toEqual([kept.run_id]);
    expect(fs.existsSync(path.join(other, ".mlexp", "runs", kept.run_id, "run.json"))).toBe(true);
    const reproduced = await runCli(["reproduce", kept.run_id, "--json"], { cwd: dir, env });
    expect(JSON.parse(reproduced.stdout).verdict).toBe("identical");
  });

  it("keeps the local cache's datasets of runs still waiting in the workspace database for `mlexp push`", async () => {
    const url = await team.server.createDatabase();
    const dir = workspace();
    const waiting = JSON.parse((await runCli(trainArgs(3), { cwd: dir })).stdout) as ModelRun;
    const result = await runCli(["gc", "--now", "--json"], { cwd: dir, env: { PGPASSWORD: team.server.password, MLEXP_STORE: url } });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toMatchObject({ removedDatasets: 0, keptDatasets: 1 });
    expect(fs.existsSync(path.join(dir, ".mlexp", "objects", "datasets", `${waiting.dataset_hash}.json`))).toBe(true);
  });
});
