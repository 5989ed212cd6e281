import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelRun, ReproductionReport, RunDiff } from "../../src/core/index";
import { runCli, runCliJson } from "../helpers/cli";
import { initRepo, writeFiles } from "../helpers/gitRepo";

/** A workspace whose model lives in its own file, with one installed dependency and a lockfile. */
const SCALED = [
  'import { LogisticRegression, createMatrix, type FitContext, type Matrix } from "mlexp";',
  "const FACTOR = 1;",
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
  "",
].join("\n");

const WORKSPACE = {
  "mlexp.config.ts": 'import { register } from "mlexp";\nimport { Scaled } from "./src/models/scaled";\nregister(Scaled);\n',
  "src/models/scaled.ts": SCALED,
  "src/unrelated.ts": "export const UNRELATED = 1;\n",
  // The data is not code: it is compared through the stored datasets, not as a file.
  ".gitignore": "node_modules\ndata.csv\n",
  "package.json": JSON.stringify({ name: "ws", private: true, dependencies: { "left-pad": "^1.0.0" } }, null, 2),
  "package-lock.json": lockfile("1.0.0"),
};

function lockfile(version: string): string {
  return JSON.stringify({ name: "ws", lockfileVersion: 3, packages: { "node_modules/left-pad": { version } } }, null, 2);
}

function installLeftPad(dir: string, version: string): void {
  writeFiles(dir, { "node_modules/left-pad/package.json": JSON.stringify({ name: "left-pad", version }), "package-lock.json": lockfile(version) });
}

interface Row {
  a: number;
  b: number;
  c?: string;
  label: string;
}

function rows(count: number): Row[] {
  return Array.from({ length: count }, (_, i) => ({ a: (i * 13) % 17, b: (i * 7) % 11, label: ((i * 13) % 17) + ((i * 7) % 11) > 13 ? "yes" : "no" }));
}

function csv(data: Row[]): string {
  const withC = data.some((row) => row.c !== undefined);
  const header = withC ? "a,b,c,label" : "a,b,label";
  return `${[header, ...data.map((r) => (withC ? `${r.a},${r.b},${r.c},${r.label}` : `${r.a},${r.b},${r.label}`))].join("\n")}\n`;
}

const train = (dir: string, ...extra: string[]) =>
  runCliJson<ModelRun>(["train", "--model", "Scaled", "--model-params", '{"epochs": 20}', "--dataset", "CsvFile", "--dataset-params", '{"path":"data.csv","target":"label"}', ...extra], dir);

interface RecordedDetails {
  environment: { lockfile: { sha256: string } };
  components: Record<string, unknown>;
  data_summary: { rows: number; columns: { name: string }[] };
}

const diff = (dir: string, a: ModelRun, b: ModelRun) => runCliJson<RunDiff>(["diff", a.run_id, b.run_id], dir);

describe("mlexp diff over real runs in a git repository", () => {
  // One repository for the whole sequence of runs (tempDir() would remove it after the first test).
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-diff-")));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const runs: Record<string, ModelRun> = {};
  let data = rows(300);

  beforeAll(async () => {
    initRepo(dir, WORKSPACE);
    installLeftPad(dir, "1.0.0");
    writeFiles(dir, { "data.csv": csv(data) });
    runs.base = await train(dir);

    // Code edited without committing, and 30 rows appended.
    writeFiles(dir, { "src/models/scaled.ts": SCALED.replace("const FACTOR = 1;", "const FACTOR = 2;\nconst OFFSET = 0;") });
    data = [...data, ...rows(330).slice(300).map((row) => ({ ...row, a: row.a + 100 }))];
    writeFiles(dir, { "data.csv": csv(data) });
    runs.edited = await train(dir);

    // One value of one row edited.
    data = data.map((row, i) => (i === 150 ? { ...row, a: 99 } : row));
    writeFiles(dir, { "data.csv": csv(data) });
    runs.rowEdited = await train(dir);

    // A column added.
    data = data.map((row, i) => ({ ...row, c: i % 3 === 0 ? "x" : "y" }));
    writeFiles(dir, { "data.csv": csv(data) });
    runs.columnAdded = await train(dir);

    // A dependency upgraded: same code, same data.
    installLeftPad(dir, "1.1.0");
    runs.upgraded = await train(dir);

    // Other parameters and seed.
    runs.otherParams = await runCliJson<ModelRun>(
      ["train", "--model", "Scaled", "--model-params", '{"epochs": 30}', "--dataset", "CsvFile", "--dataset-params", '{"path":"data.csv","target":"label"}', "--seed", "7"],
      dir,
    );
  });

  it("records the environment, the components' classes and a data summary with each run", () => {
    const details = runs.base.details as unknown as RecordedDetails;
    expect(details.environment).toMatchObject({ node: process.versions.node, os: process.platform, arch: process.arch, dependencies: { "left-pad": "1.0.0" } });
    expect(details.environment.lockfile).toMatchObject({ path: "package-lock.json" });
    expect(details.environment.lockfile.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(details.components.model).toEqual({ className: "Scaled", builtin: false });
    expect(details.components.featureGenerator).toEqual({ className: "Identity", builtin: true });
    expect(details.data_summary.rows).toBe(300);
    expect(details.data_summary.columns.map((c: { name: string }) => c.name)).toEqual(["a", "b", "label"]);
  });

  it("code edited and data appended: the file with its lines, the model's source, the added rows", async () => {
    const result = await diff(dir, runs.base, runs.edited);
    expect(result.code.status).toBe("changed");
    if (result.code.status !== "changed") return;
    expect(result.code.files).toEqual([{ path: "src/models/scaled.ts", status: "modified", added: 2, removed: 1 }]);
    expect(result.code.components.find((c) => c.role === "model")).toEqual({ role: "model", a: "Scaled", b: "Scaled", status: "changed", file: "src/models/scaled.ts" });
    expect(result.code.components.find((c) => c.role === "featureGenerator")?.status).toBe("builtin");
    expect(result.data).toMatchObject({ status: "changed", rowsA: 300, rowsB: 330, rowsAdded: 30, rowsRemoved: 0, rowsChanged: 0 });
    if (result.data.status !== "changed") return;
    expect(result.data.sample.filter((row) => row.change === "added").length).toBeGreaterThan(0);
    expect(result.data.sample.every((row) => row.change !== "added" || (row.b?.a as number) >= 100)).toBe(true);
    expect(result.data.shifts.find((s) => s.name === "a")?.mean).toBeDefined();
    expect(result.parameters.status).toBe("identical");
    expect(result.environment.status).toBe("identical");
    expect(result.differs).toEqual(["code", "data"]);
    expect(result.summary).toMatch(/^B differs from A in 1 file \(src\/models\/scaled\.ts \+2 −1\) and 10% more rows; accuracy /);
  });

  it("a row edited: one changed row, its old and new value, and the same code", async () => {
    const result = await diff(dir, runs.edited, runs.rowEdited);
    expect(result.code.status).toBe("identical");
    expect(result.data).toMatchObject({ status: "changed", rowsAdded: 0, rowsRemoved: 0, rowsChanged: 1 });
    if (result.data.status !== "changed") return;
    expect(result.data.chunks.readA).toBe(result.data.chunks.totalA - result.data.chunks.sharedChunks);
    const [changed] = result.data.sample;
    expect(changed).toMatchObject({ change: "changed", columns: ["a"] });
    expect(changed.b?.a).toBe(99);
    expect(changed.a?.a).toBe(rows(300)[150].a);
    expect(result.summary).toContain("1 changed row");
  });

  it("a column added: named, and rows compared on the columns both versions have", async () => {
    const result = await diff(dir, runs.rowEdited, runs.columnAdded);
    expect(result.data).toMatchObject({ status: "changed", columnsAdded: ["c"], columnsRemoved: [], rowsChanged: 0, rowsAdded: 0, rowsRemoved: 0, comparedColumns: ["a", "b", "label"] });
    expect(result.summary).toContain("1 added column");
  });

  it("a package version changed: the dependency's versions and the lockfile, same data", async () => {
    const result = await diff(dir, runs.columnAdded, runs.upgraded);
    expect(result.data.status).toBe("identical");
    // The lockfile is committed: it is code too.
    expect(result.code.status === "changed" && result.code.files.map((f) => f.path)).toEqual(["package-lock.json"]);
    expect(result.environment.status).toBe("changed");
    if (result.environment.status !== "changed") return;
    expect(result.environment.dependencies).toEqual([{ name: "left-pad", a: "1.0.0", b: "1.1.0" }]);
    expect(result.environment.fields.map((f) => f.name)).toEqual(["lockfile"]);
    expect(result.differs).toEqual(["code", "environment"]);
    expect(result.summary).toMatch(/^B differs from A in 1 file \(package-lock\.json \+1 −1\) and left-pad 1\.0\.0 → 1\.1\.0; accuracy /);
  });

  it("parameters: the values used, defaults included, and the seed", async () => {
    const result = await diff(dir, runs.upgraded, runs.otherParams);
    expect(result.parameters.model).toEqual([{ name: "epochs", a: 20, b: 30 }]);
    expect(result.parameters.settings).toEqual([{ name: "seed", a: 42, b: 7 }]);
    expect(result.summary).toMatch(/^B differs from A in 1 model parameter and the seed/);
  });

  it("prints the sentence first in text, and refuses an unknown run in one line", async () => {
    const text = await runCli(["diff", runs.base.run_id, runs.edited.run_id], { cwd: dir });
    expect(text.code).toBe(0);
    const lines = text.stdout.split("\n");
    expect(lines[3]).toMatch(/^B differs from A in 1 file/);
    expect(text.stdout).toContain("model Scaled: source changed (src/models/scaled.ts)");
    const bad = await runCli(["diff", "20990101-000000-00000000", runs.base.run_id], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain("No run");
  });

  it("a reproduction whose verdict is different says what differs", async () => {
    // The base run's data file has changed since (rows, a column): reproducing with fresh data differs.
    const result = await runCli(["reproduce", runs.base.run_id, "--fresh-data", "--json"], { cwd: dir });
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout) as ReproductionReport;
    expect(report.verdict).toBe("different");
    expect(report.explanation?.differs).toEqual(["data", "environment"]);
    expect(report.explanation?.summary).toMatch(/^The reproduction differs from the original in 10% more rows, 1 changed row, 1 added column and left-pad 1\.0\.0 → 1\.1\.0/);
    expect((report.run.reproduction as { explanation?: unknown }).explanation).toEqual(report.explanation);
    expect(fs.existsSync(path.join(dir, ".mlexp", "runs", report.run.run_id))).toBe(true);
  });
});
