import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { hostname } from "node:os";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelRun } from "../../src/core/index";
import { CLI, runCli, runCliJson } from "../helpers/cli";
import { initRepo } from "../helpers/gitRepo";
import { ageChunks, flipChunkByte, packEntries, packFiles } from "../helpers/storedChunks";
import { tempDir } from "../helpers/tempDir";

const SLOW = ["--model", "LogisticRegression", "--model-params", '{"epochs": 1500}', "--dataset", "Synthetic", "--dataset-params", '{"rows": 20000}'];
const FAST = ["--model", "LogisticRegression", "--model-params", '{"epochs": 5}', "--dataset", "Synthetic", "--dataset-params", '{"rows": 20000}'];

function startTraining(dir: string, args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, "train", "--json", ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => (stdout += chunk));
  child.stderr?.on("data", (chunk) => (stderr += chunk));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error("timed out waiting");
}

async function runningRun(dir: string): Promise<ModelRun> {
  return waitFor(async () => (await runCliJson<ModelRun[]>(["runs"], dir).catch(() => [])).find((run) => run.status === "running"));
}

function objectsDir(dir: string): string {
  return path.join(dir, ".mlexp", "objects");
}

describe("nothing is lost whatever runs at the same time", () => {
  it("gc --now during a training keeps the objects it wrote and those it reused", async () => {
    const dir = tempDir();
    initRepo(dir);
    // A first run stores the data, then is deleted: its chunks are old and no run refers to them.
    const first = await runCliJson<ModelRun>(["train", ...FAST], dir);
    await runCliJson(["delete", first.run_id], dir);
    const old = new Date(Date.now() - 3 * 3600_000);
    ageChunks(objectsDir(dir), old);
    const training = startTraining(dir, SLOW);
    const run = await runningRun(dir);
    // The training has stored its dataset once the dataset's manifest is there and fresh again.
    const manifest = path.join(dir, ".mlexp", "objects", "datasets", `${first.dataset_hash}.json`);
    await waitFor(() => (fs.statSync(manifest).mtimeMs >= Date.parse(run.start_time) - 1000 ? true : undefined));
    const gc = await runCliJson<{ removedChunks: number; removedDatasets: number }>(["gc", "--now"], dir);
    expect(gc).toMatchObject({ removedChunks: 0, removedDatasets: 0 });
    const finished = await training.done;
    expect(finished.code).toBe(0);
    const reproduction = await runCli(["reproduce", "--json", run.run_id], { cwd: dir });
    expect(reproduction.stderr).not.toMatch(/missing|corrupted/);
    expect(reproduction.code).toBe(0);
  });

  it("refuses to delete a run that is still training, and deletes it once it is not", async () => {
    const dir = tempDir();
    const training = startTraining(dir, SLOW);
    const run = await runningRun(dir);
    const refused = await runCli(["delete", run.run_id], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`Run ${run.run_id} is still training \\(process ${run.pid}\\).*Cancel it first`));
    expect(fs.existsSync(path.join(dir, ".mlexp", "runs", run.run_id))).toBe(true);
    training.child.kill("SIGKILL");
    await training.done;
    expect((await runCli(["delete", run.run_id], { cwd: dir })).code).toBe(0);
    expect(fs.existsSync(path.join(dir, ".mlexp", "runs", run.run_id))).toBe(false);
  });

  it("repairs a corrupted chunk when the same data is stored again", async () => {
    const dir = tempDir();
    initRepo(dir);
    const first = await runCliJson<ModelRun>(["train", ...FAST], dir);
    const victim = packEntries(objectsDir(dir)).map((entry) => entry.hash).sort()[0];
    const pack = flipChunkByte(objectsDir(dir), victim);
    const broken = await runCli(["reproduce", first.run_id], { cwd: dir });
    expect(broken.stderr).toMatch(/corrupted/);
    expect(broken.stderr).toContain(pack);
    await runCliJson<ModelRun>(["train", ...FAST], dir);
    const repaired = await runCli(["reproduce", "--json", first.run_id], { cwd: dir });
    expect(repaired.stderr).toBe("");
    expect((JSON.parse(repaired.stdout) as { verdict: string }).verdict).toBe("identical");
  });
});

interface Rebuilt {
  runs: number;
  before: number | null;
  fromManifests: number;
  fromPreviousDatabase: string[];
  skipped: { folder: string; reason: string }[];
  lost: string[];
}

describe("db rebuild never loses runs silently", () => {
  it("keeps a run whose run.json is damaged from the previous database", async () => {
    const dir = tempDir();
    const a = await runCliJson<ModelRun>(["train", ...FAST], dir);
    const b = await runCliJson<ModelRun>(["train", ...FAST], dir);
    fs.writeFileSync(path.join(dir, ".mlexp", "runs", a.run_id, "run.json"), '{"run": {"run_id": "2026');
    const rebuilt = await runCliJson<Rebuilt>(["db", "rebuild"], dir);
    expect(rebuilt).toMatchObject({ runs: 2, before: 2, fromManifests: 1, fromPreviousDatabase: [a.run_id], lost: [] });
    const runs = await runCliJson<ModelRun[]>(["runs"], dir);
    expect(runs.map((r) => r.run_id).sort()).toEqual([a.run_id, b.run_id].sort());
    expect(runs.find((r) => r.run_id === a.run_id)?.metrics).toEqual(a.metrics);
    const text = await runCli(["db", "rebuild"], { cwd: dir });
    expect(text.stdout).toMatch(/Rebuilt the database with 2 run\(s\): 1 from run\.json manifests; 1 kept from the previous database/);
  });

  it("skips invalid manifests by name and says so on stderr", async () => {
    const dir = tempDir();
    const good = await runCliJson<ModelRun>(["train", ...FAST], dir);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, ".mlexp", "runs", good.run_id, "run.json"), "utf8")) as { run: Record<string, unknown> };
    const plant = (folder: string, patch: Record<string, unknown>) => {
      fs.mkdirSync(path.join(dir, ".mlexp", "runs", folder), { recursive: true });
      fs.writeFileSync(path.join(dir, ".mlexp", "runs", folder, "run.json"), JSON.stringify({ ...manifest, run: { ...manifest.run, ...patch } }));
    };
    plant("20260101-000000-00000001", { run_id: "../../etc", status: "bogus" });
    plant("20260101-000000-00000002", { run_id: "20260101-000000-00000002", status: "bogus" });
    plant("20260101-000000-00000003", { run_id: "20260101-000000-00000003", model_class: 42 });
    // A training's folder the instant after it was made, before its mark is in it: nothing to report.
    fs.mkdirSync(path.join(dir, ".mlexp", "runs", "20260101-000000-00000004"));
    fs.rmSync(path.join(dir, ".mlexp", "mlexp.db"));
    const result = await runCli(["db", "rebuild"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Rebuilt the database with 1 run\(s\)/);
    expect(result.stderr).toMatch(/skipped 20260101-000000-00000001: its run\.json is not valid: its run_id "\.\.\/\.\.\/etc" is not a run id/);
    expect(result.stderr).toMatch(/skipped 20260101-000000-00000002: .*its status "bogus" is not one of running, finished, failed, cancelled/);
    expect(result.stderr).toMatch(/skipped 20260101-000000-00000003: .*its model_class is a number, not a string/);
    expect(result.stderr).not.toMatch(/00000004/);
    const runs = await runCliJson<ModelRun[]>(["runs"], dir);
    expect(runs.map((r) => r.run_id)).toEqual([good.run_id]);
  });

  it("holds the lock for the whole rebuild: trainings alongside are all kept, and the report is true", async () => {
    const dir = tempDir();
    const before = await runCliJson<ModelRun>(["train", ...FAST], dir);
    const trainings = Array.from({ length: 4 }, () => runCli(["train", "--json", ...FAST], { cwd: dir }));
    const rebuilds = [runCliJson<Rebuilt>(["db", "rebuild"], dir), runCliJson<Rebuilt>(["db", "rebuild"], dir)];
    const trained = await Promise.all(trainings);
    const reports = await Promise.all(rebuilds);
    expect(trained.map((t) => t.code)).toEqual([0, 0, 0, 0]);
    for (const report of reports) {
      expect(report.skipped).toEqual([]);
      expect(report.lost).toEqual([]);
      expect(report.runs).toBeGreaterThanOrEqual(report.before ?? 0);
      expect(report.runs).toBeGreaterThanOrEqual(1);
    }
    const ids = [before.run_id, ...trained.map((t) => (JSON.parse(t.stdout) as ModelRun).run_id)];
    const runs = await runCliJson<ModelRun[]>(["runs"], dir);
    expect(runs.map((r) => r.run_id).sort()).toEqual(ids.sort());
    expect(runs.every((r) => r.status === "finished")).toBe(true);
  });
});

describe("kills and full disks", () => {
  it("a lock left by a killed process does not hold up the next command", async () => {
    const dir = tempDir();
    await runCliJson<ModelRun>(["train", ...FAST], dir);
    const dead = spawnSync(process.execPath, ["-e", ""]).pid as number;
    const lockDir = path.join(dir, ".mlexp", "mlexp.db.lock");
    fs.mkdirSync(lockDir);
    fs.writeFileSync(path.join(lockDir, "owner.json"), JSON.stringify({ pid: dead, host: hostname() }));
    // Its time in the future: only knowing that its holder is gone can free it.
    const later = new Date(Date.now() + 24 * 3600_000);
    fs.utimesSync(lockDir, later, later);
    const result = await runCli(["train", "--json", ...FAST], { cwd: dir });
    expect(result.stderr).not.toMatch(/lock/i);
    expect(result.code).toBe(0);
    expect(fs.existsSync(lockDir)).toBe(false);
  });

  const root = process.platform === "linux" && process.getuid?.() === 0;
  it.skipIf(!root)("a full disk: says which folder and how much, records the run failed, leaves no temporary file (needs root for a tmpfs)", async () => {
    const mount = tempDir("mlexp-disk-");
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mount]);
    try {
      initRepo(mount);
      const small = await runCliJson<ModelRun>(["train", "--model", "LogisticRegression", "--dataset", "Synthetic", "--dataset-params", '{"rows": 500}'], mount);
      const full = await runCli(["train", "--model", "LogisticRegression", "--model-params", '{"epochs": 2}', "--dataset", "Synthetic", "--dataset-params", '{"rows": 100000, "features": 20}'], { cwd: mount });
      expect(full.code).toBe(1);
      // The dataset is stored while the model trains and its artifacts are saved, so either write
      // may be the one that finds the disk full; each names its folder and what to free.
      const datasetFull = `The disk holding ${mount}/\\.mlexp/objects is full: storing the dataset needed up to [\\d.]+ MiB more\\. Free that much there`;
      const artifactsFull = `The disk holding ${mount}/\\.mlexp/runs/\\d{8}-\\d{6}-[0-9a-f]{8} is full: saving the run's artifacts did not fit\\. Free space there`;
      expect(full.stderr).toMatch(new RegExp(`^mlexp: (${datasetFull}|${artifactsFull})`, "m"));
      const runs = await runCliJson<ModelRun[]>(["runs"], mount);
      const failed = runs.find((run) => run.run_id !== small.run_id);
      expect(failed).toMatchObject({ status: "failed", error: expect.stringMatching(/is full: (storing the dataset|saving the run's artifacts)/) });
      await runCliJson(["gc"], mount);
      const left = fs.readdirSync(path.join(mount, ".mlexp"), { recursive: true }).map(String).filter((name) => name.endsWith(".tmp"));
      expect(left).toEqual([]);
      expect((await runCli(["reproduce", small.run_id], { cwd: mount })).code).toBe(0);
    } finally {
      execFileSync("umount", [mount]);
    }
  });
});

describe("gc repacks", () => {
  it("removes a deleted run's chunks from the packs, keeps the other run's whole, and frees the space", async () => {
    const dir = tempDir();
    initRepo(dir);
    const kept = await runCliJson<ModelRun>(["train", ...FAST], dir);
    const doomed = await runCliJson<ModelRun>(["train", ...FAST.slice(0, -1), '{"rows": 7000, "seed": 5}'], dir);
    expect(doomed.dataset_hash).not.toBe(kept.dataset_hash);
    await runCliJson(["delete", doomed.run_id], dir);
    const before = packEntries(objectsDir(dir)).length;
    const oldPacks = packFiles(objectsDir(dir));
    const gc = await runCliJson<{ removedChunks: number; removedDatasets: number; freedBytes: number }>(["gc", "--now"], dir);
    expect(gc.removedDatasets).toBe(1);
    expect(gc.removedChunks).toBeGreaterThan(0);
    expect(gc.freedBytes).toBeGreaterThan(0);
    expect(packEntries(objectsDir(dir)).length).toBe(before - gc.removedChunks);
    expect(packFiles(objectsDir(dir)).filter((file) => oldPacks.includes(file)).length).toBeLessThan(oldPacks.length);
    const reproduction = await runCli(["reproduce", "--json", kept.run_id], { cwd: dir });
    expect(reproduction.stderr).toBe("");
    expect((JSON.parse(reproduction.stdout) as { verdict: string }).verdict).toBe("identical");
    expect(await runCliJson(["gc", "--now"], dir)).toMatchObject({ removedChunks: 0, removedDatasets: 0 });
  });
});

describe("gc removes what killed processes left behind", () => {
  it("removes temporary files of processes that are gone, and keeps those of live ones", async () => {
    const dir = tempDir();
    initRepo(dir);
    const trained = await runCliJson<ModelRun>(["train", ...FAST], dir);
    const dead = spawnSync(process.execPath, ["-e", ""]).pid as number;
    const store = path.join(dir, ".mlexp");
    const chunkDir = path.dirname(packFiles(objectsDir(dir))[0]);
    // A pack renamed in but left without its index by a writer killed in between goes too.
    const stale = [
      path.join(store, `mlexp.db.${dead}.1764400000000.tmp`),
      path.join(chunkDir, `abc.pack.${dead}.0a1b2c3d.tmp`),
      path.join(store, "objects", "datasets", `x.json.${dead}.1.tmp`),
      path.join(chunkDir, `0123456789abcdef-${dead}.pack`),
      // A training killed while it replaced a file of its run folder.
      path.join(store, "runs", trained.run_id, `run.json.${dead}.1764400000000.tmp`),
      path.join(store, "runs", trained.run_id, `features.json.${dead}.1764400000001.tmp`),
    ];
    const live = [
      path.join(chunkDir, `def.pack.${process.pid}.0a1b2c3d.tmp`),
      path.join(chunkDir, `fedcba9876543210-${process.pid}.pack`),
      path.join(store, "runs", trained.run_id, `target.json.${process.pid}.1764400000002.tmp`),
    ];
    for (const file of [...stale, ...live]) fs.writeFileSync(file, "");
    const result = await runCliJson<{ removedTempFiles: number }>(["gc"], dir);
    expect(result.removedTempFiles).toBe(stale.length);
    for (const file of stale) expect(fs.existsSync(file)).toBe(false);
    for (const file of live) expect(fs.existsSync(file)).toBe(true);
    expect((await runCli(["reproduce", "--json", trained.run_id], { cwd: dir })).code).toBe(0);
  });

  it("removes the folder and code snapshot ref of a run killed before it got a row", async () => {
    const dir = tempDir();
    initRepo(dir);
    const kept = await runCliJson<ModelRun>(["train", ...FAST], dir);
    const dead = spawnSync(process.execPath, ["-e", ""]).pid as number;
    const orphan = "20260101-000000-0000abcd";
    fs.mkdirSync(path.join(dir, ".mlexp", "runs", orphan));
    fs.writeFileSync(path.join(dir, ".mlexp", "runs", orphan, "starting.json"), JSON.stringify({ pid: dead, host: hostname() }));
    execFileSync("git", ["update-ref", `refs/mlexp/runs/${orphan}`, "HEAD"], { cwd: dir });
    const result = await runCliJson<{ removedAbandonedRuns: string[] }>(["gc"], dir);
    expect(result.removedAbandonedRuns).toEqual([orphan]);
    const refs = execFileSync("git", ["for-each-ref", "--format=%(refname)", "refs/mlexp/runs/"], { cwd: dir, encoding: "utf8" }).trim().split("\n");
    expect(refs).toEqual([`refs/mlexp/runs/${kept.run_id}`]);
    expect(fs.existsSync(path.join(dir, ".mlexp", "runs", orphan))).toBe(false);
  });
});

describe("CSV export is safe to open in a spreadsheet", () => {
  it("prefixes values a spreadsheet would run as formulas", async () => {
    const dir = tempDir();
    const name = '=HYPERLINK("evil","y").csv';
    fs.writeFileSync(path.join(dir, name), "a,label\n1,x\n2,y\n3,x\n4,y\n5,x\n6,y\n7,x\n8,y\n9,x\n10,y\n");
    await runCliJson<ModelRun>(["train", "--model", "LogisticRegression", "--dataset", "CsvFile", "--dataset-params", JSON.stringify({ path: name, target: "label" })], dir);
    const csv = (await runCli(["export", "--format", "csv"], { cwd: dir })).stdout;
    expect(csv).toContain(`"'=HYPERLINK(""evil"",""y"").csv"`);
    expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });
});
