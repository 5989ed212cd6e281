import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelRun, ReproductionReport } from "../../src/core/index";
import { ObjectStore } from "../../src/core/objects/objectStore";
import { runCli, runCliJson } from "../helpers/cli";
import { git, initRepo, repositoryState, writeFiles } from "../helpers/gitRepo";
import { flipChunkByte } from "../helpers/storedChunks";
import { tempDir } from "../helpers/tempDir";

/** A model whose predictions depend on a constant in another file, so a code change shows. */
const WORKSPACE = {
  "mlexp.config.ts": 'import { registerModel } from "mlexp";\nimport { Scaled } from "./src/scaled";\nregisterModel("Scaled", Scaled);\n',
  "src/factor.ts": "export const FACTOR = 1;\n",
  "src/scaled.ts": [
    'import { LogisticRegression, createMatrix, type FitContext, type Matrix } from "mlexp";',
    'import { FACTOR } from "./factor";',
    "function scale(X: Matrix): Matrix {",
    "  const out = createMatrix(X.rows, X.cols, X.names);",
    "  X.data.forEach((v, i) => (out.data[i] = i % X.cols === 0 ? v * FACTOR : v));",
    "  return out;",
    "}",
    "export class Scaled extends LogisticRegression {",
    "  override fit(X: Matrix, y: Float64Array, c: FitContext) { return super.fit(scale(X), y, c); }",
    "  override predict(X: Matrix) { return super.predict(scale(X)); }",
    "  override predictProba(X: Matrix) { return super.predictProba(scale(X)); }",
    "}",
  ].join("\n"),
  ".gitignore": "node_modules\n",
};

function dataCsv(rows: number, shift = 0): string {
  const lines = ["a,b,label"];
  for (let i = 0; i < rows; i++) lines.push(`${(i * 13) % 17},${((i + shift) * 7) % 11},${(i * 13) % 17 + ((i + shift) * 7) % 11 > 13 ? "yes" : "no"}`);
  return `${lines.join("\n")}\n`;
}

const TRAIN_ARGS = ["train", "--model", "Scaled", "--model-params", '{"epochs": 30}', "--dataset", "CsvFile", "--dataset-params", '{"path":"data.csv","target":"label"}', "--features", "StandardScaler"];

async function dirtyRun(dir: string): Promise<ModelRun> {
  initRepo(dir, { ...WORKSPACE, "data.csv": dataCsv(300) });
  // Staged, unstaged and untracked changes: the run must capture all of them.
  writeFiles(dir, { "src/factor.ts": "export const FACTOR = 3;\n" });
  git(dir, "add", "src/factor.ts");
  writeFiles(dir, { "src/scaled.ts": `${WORKSPACE["src/scaled.ts"]}\n// unstaged edit\n`, "src/notes.ts": "export const NOTE = 'untracked';\n" });
  return runCliJson<ModelRun>(TRAIN_ARGS, dir);
}

async function reproduce(dir: string, runId: string, ...extra: string[]) {
  const result = await runCli(["reproduce", runId, "--json", ...extra], { cwd: dir });
  return { ...result, report: result.code === 0 || result.code === 3 ? (JSON.parse(result.stdout) as ReproductionReport) : undefined };
}

describe("reproduce a run from its run_id", () => {
  it("leaves status, index, HEAD, branches and stash byte-identical when training from a dirty tree", async () => {
    const dir = tempDir();
    initRepo(dir, { ...WORKSPACE, "data.csv": dataCsv(100) });
    writeFiles(dir, { "src/factor.ts": "export const FACTOR = 2;\n" });
    git(dir, "add", "src/factor.ts");
    writeFiles(dir, { "src/scaled.ts": `${WORKSPACE["src/scaled.ts"]}\n// edit\n`, "untracked.ts": "x\n" });
    const before = repositoryState(dir);
    const run = await runCliJson<ModelRun>(TRAIN_ARGS, dir);
    expect(repositoryState(dir)).toEqual(before);
    expect(run.dirty).toBe(true);
    expect(run.githash).not.toBe(run.base_commit);
    expect(git(dir, "show", `${run.githash}:untracked.ts`)).toBe("x\n");
  });

  it("is identical after code and data changed, were committed, the branch switched and the data file deleted", async () => {
    const dir = tempDir();
    const run = await dirtyRun(dir);
    expect(run.dirty).toBe(true);

    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "the dirty work");
    writeFiles(dir, { "src/factor.ts": "export const FACTOR = 0.01;\n", "data.csv": dataCsv(400, 5) });
    git(dir, "commit", "-qam", "new factor and more data");
    git(dir, "checkout", "-qb", "elsewhere");
    fs.rmSync(path.join(dir, "data.csv"));
    const changedCode = await runCliJson<ModelRun>(["train", "--model", "Scaled", "--dataset", "Synthetic", "--dataset-params", '{"rows":300}'], dir);
    expect(changedCode.status).toBe("finished");

    const { code, report } = await reproduce(dir, run.run_id);
    expect(code).toBe(0);
    expect(report?.verdict).toBe("identical");
    expect(report?.metrics.every((m) => m.verdict === "identical" && m.difference === 0)).toBe(true);
    expect(report?.run).toMatchObject({ reproduced_from: run.run_id, githash: run.githash, dataset_hash: run.dataset_hash, status: "finished" });
    expect(report?.run.metrics).toEqual(run.metrics);
    expect(report?.data).toEqual({ source: "stored", original_hash: run.dataset_hash, current_hash: null, changed: null });
    expect(git(dir, "branch", "--show-current").trim()).toBe("elsewhere");
    expect(fs.existsSync(path.join(dir, "data.csv"))).toBe(false);

    const stored = await runCliJson<ModelRun>(["show", report?.run.run_id as string], dir);
    expect(stored.reproduction).toMatchObject({ original: run.run_id, verdict: "identical" });
  });

  it("reports with --fresh-data that the data changed since the run, and exits non-zero when metrics differ", async () => {
    const dir = tempDir();
    const run = await dirtyRun(dir);
    writeFiles(dir, { "data.csv": dataCsv(300, 3) });
    const { code, report, stdout } = await reproduce(dir, run.run_id, "--fresh-data");
    expect(report?.data.source).toBe("fresh");
    expect(report?.data.changed).toBe(true);
    expect(report?.data.current_hash).not.toBe(run.dataset_hash);
    expect(report?.verdict).toBe("different");
    expect(code).toBe(3);
    expect(stdout).toContain('"verdict": "different"');
  });

  it("uses the old code of a model that changed in a later commit", async () => {
    const dir = tempDir();
    initRepo(dir, { ...WORKSPACE, "data.csv": dataCsv(300) });
    const old = await runCliJson<ModelRun>(TRAIN_ARGS, dir);
    writeFiles(dir, { "src/factor.ts": "export const FACTOR = -5;\n" });
    git(dir, "commit", "-qam", "change the model");
    const current = await runCliJson<ModelRun>(TRAIN_ARGS, dir);
    expect(current.metrics).not.toEqual(old.metrics);
    const { report } = await reproduce(dir, old.run_id);
    expect(report?.verdict).toBe("identical");
    expect(report?.run.metrics).toEqual(old.metrics);
  });

  it("refuses a tampered dataset object with a clear error and writes no run", async () => {
    const dir = tempDir();
    const run = await dirtyRun(dir);
    const objects = new ObjectStore(path.join(dir, ".mlexp", "objects"));
    const firstChunk = objects.chunkHashes(objects.readManifest(run.dataset_hash as string))[0];
    const pack = flipChunkByte(objects.dir, firstChunk);
    const result = await reproduce(dir, run.run_id);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`chunk ${firstChunk} of dataset ${run.dataset_hash} is corrupted.*\\(${pack}\\)`));
    expect(await runCliJson<ModelRun[]>(["runs"], dir)).toHaveLength(1);
  });

  it("explains a stored dataset that is missing, and suggests --fresh-data", async () => {
    const dir = tempDir();
    const run = await dirtyRun(dir);
    fs.rmSync(path.join(dir, ".mlexp", "objects", "datasets", `${run.dataset_hash}.json`));
    const result = await reproduce(dir, run.run_id);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`stored dataset ${run.dataset_hash} is missing .*--fresh-data`));
    expect(await runCliJson<ModelRun[]>(["runs"], dir)).toHaveLength(1);
    const fresh = await reproduce(dir, run.run_id, "--fresh-data");
    expect(fresh.report).toMatchObject({ verdict: "identical", data: { source: "fresh", changed: false } });
  });

  it("explains a snapshot that is gone, a workspace that is not a repository, and unknown ids", async () => {
    const dir = tempDir();
    const run = await dirtyRun(dir);
    expect((await reproduce(dir, "20990101-000000-00000000")).stderr).toMatch(/No run "20990101-000000-00000000"/);
    expect((await reproduce(dir, "not-a-run-id!")).stderr).toMatch(/is not a run id/);
    git(dir, "update-ref", "-d", `refs/mlexp/runs/${run.run_id}`);
    git(dir, "reflog", "expire", "--expire=now", "--all");
    git(dir, "gc", "-q", "--prune=now");
    const gone = await reproduce(dir, run.run_id);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/code snapshot [0-9a-f]{40} of run .* is not in the repository/);
    fs.rmSync(path.join(dir, ".git"), { recursive: true });
    expect((await reproduce(dir, run.run_id)).stderr).toMatch(/is not in a git repository/);
    expect(await runCliJson<ModelRun[]>(["runs"], dir)).toHaveLength(1);
  });

  it("checks out a run's code safely, and opens it in a worktree", async () => {
    const dir = tempDir();
    initRepo(dir, { ...WORKSPACE, "data.csv": dataCsv(100) });
    const run = await runCliJson<ModelRun>(TRAIN_ARGS, dir);
    writeFiles(dir, { "src/factor.ts": "export const FACTOR = 9;\n" });
    git(dir, "commit", "-qam", "later");
    writeFiles(dir, { "src/factor.ts": "export const FACTOR = 10;\n" });
    const refused = await runCli(["checkout", run.run_id], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/uncommitted changes \(src\/factor\.ts\)/);
    expect(fs.readFileSync(path.join(dir, "src/factor.ts"), "utf8")).toContain("10");

    const worktree = path.join(tempDir(), "wt");
    const opened = await runCliJson<{ path: string }>(["worktree", run.run_id, worktree], dir);
    expect(fs.readFileSync(path.join(opened.path, "src/factor.ts"), "utf8")).toBe("export const FACTOR = 1;\n");

    git(dir, "checkout", "--", "src/factor.ts");
    const moved = await runCliJson<{ commit: string; branch: string }>(["checkout", run.run_id, "--branch"], dir);
    expect(moved).toEqual({ run_id: run.run_id, commit: run.githash, branch: `mlexp/${run.run_id}` });
    expect(git(dir, "rev-parse", "HEAD").trim()).toBe(run.githash);
  });

  it("removes data no run refers to with gc, and keeps shared data", async () => {
    const dir = tempDir();
    const synthetic = (rows: number) => ["train", "--model", "LogisticRegression", "--dataset", "Synthetic", "--dataset-params", JSON.stringify({ rows })];
    const a = await runCliJson<ModelRun>(synthetic(200), dir);
    const b = await runCliJson<ModelRun>(synthetic(200), dir);
    const c = await runCliJson<ModelRun>(synthetic(300), dir);
    expect(a.dataset_hash).toBe(b.dataset_hash);
    await runCliJson(["delete", a.run_id, c.run_id], dir);
    const result = await runCliJson<{ removedDatasets: number; keptDatasets: number }>(["gc", "--now"], dir);
    expect(result).toMatchObject({ removedDatasets: 1, keptDatasets: 1 });
    expect(fs.existsSync(path.join(dir, ".mlexp", "objects", "datasets", `${b.dataset_hash}.json`))).toBe(true);
    expect(fs.existsSync(path.join(dir, ".mlexp", "runs", a.run_id))).toBe(false);
  });
});
