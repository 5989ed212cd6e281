import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelRun, SearchTrial, MetricPoint } from "../../src/core/index";
import { spawn } from "node:child_process";
import { CLI, runCli, runCliJson } from "../helpers/cli";
import { initRepo, writeFiles } from "../helpers/gitRepo";
import { queryDatabaseFile, writeSqliteFile } from "../helpers/sqlite";
import { tempDir } from "../helpers/tempDir";

const synthetic = (extra: Record<string, unknown> = {}) => JSON.stringify({ rows: 300, features: 4, seed: 3, ...extra });

function csvRows(rows: number): string {
  const lines = ["size,colour,weight,label"];
  for (let i = 0; i < rows; i++) {
    const size = (i * 7) % 23;
    const colour = ["red", "green", "blue"][i % 3];
    lines.push(`${size},${colour},${(i % 11) + 0.5},${size + (colour === "red" ? 5 : 0) > 14 ? "big" : "small"}`);
  }
  return `${lines.join("\n")}\n`;
}

function repoWithData(): string {
  const dir = tempDir();
  initRepo(dir, { "data.csv": csvRows(200), ".gitignore": "node_modules\n" });
  return dir;
}

const train = (dir: string, ...args: string[]) => runCliJson<ModelRun>(["train", ...args], dir);

describe("mlexp train", () => {
  it("records a run with every model_runs column, readable by a fresh process", async () => {
    const dir = repoWithData();
    const run = await train(dir, "--model", "LogisticRegression", "--dataset", "CsvFile", "--dataset-params", '{"path":"data.csv","target":"label"}', "--features", "OneHotEncoder");
    expect(run.status).toBe("finished");
    expect(run.metrics.accuracy).toBeGreaterThan(0.7);
    expect(Object.keys(run.metrics).sort()).toEqual(["accuracy", "f1", "log_loss", "precision", "recall", "roc_auc"]);
    expect(run.githash).toMatch(/^[0-9a-f]{40}$/);
    expect(run.dataset_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(run.hyperparameters).toMatchObject({ learningRate: expect.any(Number), epochs: expect.any(Number), l2: 0 });

    const rows = await queryDatabaseFile(path.join(dir, ".mlexp", "mlexp.db"), "SELECT * FROM model_runs");
    expect(rows).toHaveLength(1);
    for (const column of ["run_id", "model_class", "hyperparameters", "githash", "feature_generator_class", "dataset_class", "metrics", "artifacts", "start_time", "end_time"]) {
      expect(rows[0]).toHaveProperty(column);
    }
    expect(rows[0]).toMatchObject({ run_id: run.run_id, model_class: "LogisticRegression", feature_generator_class: "OneHotEncoder", dataset_class: "CsvFile", status: "finished" });
    expect(JSON.parse(rows[0].metrics as string)).toEqual(run.metrics);

    const listed = await runCliJson<ModelRun[]>(["runs"], dir);
    expect(listed.map((r) => r.run_id)).toEqual([run.run_id]);
    const artifacts = path.join(dir, run.artifacts);
    for (const file of ["run.json", "params.json", "metrics.json", "features.json", "target.json", "model"]) expect(fs.existsSync(path.join(artifacts, file))).toBe(true);
    expect(fs.readFileSync(path.join(dir, ".mlexp", ".gitignore"), "utf8")).toContain("*");
  });

  it.each([
    ["LogisticRegression", "{}"],
    ["LogisticRegressionTfjs", '{"epochs": 5}'],
    ["MLPClassifierTfjs", '{"epochs": 5, "hiddenUnits": [8]}'],
    ["RandomForestClassifier", '{"nEstimators": 10, "maxDepth": 4}'],
  ])("trains the built-in classifier %s on Synthetic data", async (model, params) => {
    const dir = tempDir();
    const run = await train(dir, "--model", model, "--model-params", params, "--dataset", "Synthetic", "--dataset-params", synthetic({ classes: 3 }), "--features", "StandardScaler");
    expect(run.status).toBe("finished");
    expect(run.metrics.accuracy).toBeGreaterThan(0.5);
    expect(run.details).toMatchObject({ averaging: "macro", classes: [0, 1, 2] });
    if (model.endsWith("Tfjs")) expect(run.backend).toMatch(/^(wasm|cpu|tensorflow)$/);
    else expect(run.backend).toBeNull();
  });

  it("trains LinearRegression on regression data with rmse, mae and r2", async () => {
    const dir = tempDir();
    const run = await train(dir, "--model", "LinearRegression", "--dataset", "Synthetic", "--dataset-params", synthetic({ task: "regression" }), "--features", "PolynomialFeatures");
    expect(Object.keys(run.metrics).sort()).toEqual(["mae", "r2", "rmse"]);
    expect(run.metrics.r2).toBeGreaterThan(0.5);
    expect(run.metric).toBe("rmse");
  });

  it("reads JSON Lines and SQLite datasets", async () => {
    const dir = tempDir();
    const lines = Array.from({ length: 120 }, (_, i) => JSON.stringify({ x: i % 10, y: (i * 3) % 7, label: i % 10 > 4 ? "a" : "b" }));
    fs.writeFileSync(path.join(dir, "data.jsonl"), `${lines.join("\n")}\n`);
    const fromJsonl = await train(dir, "--model", "LogisticRegression", "--dataset", "JsonLines", "--dataset-params", '{"path":"data.jsonl","target":"label"}');
    expect(fromJsonl.metrics.accuracy).toBeGreaterThan(0.8);

    const inserts = Array.from({ length: 120 }, (_, i) => `(${i % 10}, ${(i * 3) % 7}, ${i % 10 > 4 ? 1 : 0})`).join(",");
    await writeSqliteFile(path.join(dir, "data.sqlite"), `CREATE TABLE t (x REAL, y REAL, label INTEGER); INSERT INTO t VALUES ${inserts};`);
    const fromSqlite = await train(dir, "--model", "LogisticRegression", "--dataset", "SqliteQuery", "--dataset-params", '{"path":"data.sqlite","query":"SELECT x, y, label FROM t","target":"label"}', "--features", "MinMaxScaler");
    expect(fromSqlite.metrics.accuracy).toBeGreaterThan(0.8);
  });

  it("searches a grid with cross-validation, records every trial and fits the best", async () => {
    const dir = tempDir();
    const run = await train(dir, "--model", "LogisticRegression", "--model-params", '{"learningRate": [0.0001, 0.05], "epochs": [1, 20]}', "--dataset", "Synthetic", "--dataset-params", synthetic(), "--cv", "3", "--metric", "log_loss");
    const shown = await runCliJson<ModelRun & { trials: SearchTrial[]; history: MetricPoint[] }>(["show", run.run_id], dir);
    expect(shown.trials).toHaveLength(4);
    expect(shown.trials.every((t) => t.fold_scores.length === 3)).toBe(true);
    const best = [...shown.trials].sort((a, b) => a.score - b.score)[0];
    expect(run.hyperparameters).toMatchObject(best.params);
    expect(run.search).toEqual({ strategy: "grid", trials: 4, cv: 3 });
    expect(shown.history.filter((p) => p.name === "loss").length).toBe(run.hyperparameters.epochs);
  });

  it("samples a random search with the seed", async () => {
    const dir = tempDir();
    const args = ["--model", "LogisticRegression", "--model-params", '{"learningRate": [0.001, 0.01, 0.05, 0.1], "epochs": [2, 5, 10]}', "--dataset", "Synthetic", "--dataset-params", synthetic(), "--search", "random", "--trials", "3", "--cv", "2"];
    const first = await train(dir, ...args);
    const second = await train(dir, ...args);
    const trialsOf = async (id: string) => (await runCliJson<{ trials: SearchTrial[] }>(["show", id], dir)).trials.map((t) => t.params);
    expect(await trialsOf(first.run_id)).toHaveLength(3);
    expect(await trialsOf(second.run_id)).toEqual(await trialsOf(first.run_id));
  });

  it.each(["LogisticRegression", "MLPClassifierTfjs", "RandomForestClassifier"])("gives bit-identical metrics for %s in two separate processes", async (model) => {
    const dir = tempDir();
    const args = ["--model", model, "--model-params", model === "MLPClassifierTfjs" ? '{"epochs": 3}' : "{}", "--dataset", "Synthetic", "--dataset-params", synthetic(), "--seed", "7"];
    const [a, b] = [await train(dir, ...args), await train(dir, ...args)];
    expect(b.metrics).toEqual(a.metrics);
    expect(b.dataset_hash).toBe(a.dataset_hash);
  });

  it("prints a readable summary and table without --json", async () => {
    const dir = tempDir();
    const result = await runCli(["train", "--model", "LogisticRegression", "--dataset", "Synthetic", "--dataset-params", synthetic()], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^run \d{8}-\d{6}-[0-9a-f]{8} finished/);
    expect(result.stdout).toMatch(/metrics: accuracy=0\.\d{4}/);
    expect(result.stderr).toMatch(/not in a git repository/);
    const table = await runCli(["runs"], { cwd: dir });
    expect(table.stdout).toMatch(/^RUN_ID\s+STATUS\s+MODEL/);
    expect(table.stdout).toMatch(/finished\s+LogisticRegression\s+Identity\s+Synthetic\s+accuracy=/);
  });

  it("compares runs and exports them", async () => {
    const dir = tempDir();
    const a = await train(dir, "--model", "LogisticRegression", "--model-params", '{"epochs": 2}', "--dataset", "Synthetic", "--dataset-params", synthetic());
    const b = await train(dir, "--model", "LogisticRegression", "--model-params", '{"epochs": 30}', "--dataset", "Synthetic", "--dataset-params", synthetic());
    const comparison = await runCliJson<{ common: Record<string, unknown>; differing: string[]; ranked: { run_id: string }[] }>(["compare", a.run_id, b.run_id, "--metric", "log_loss"], dir);
    expect(comparison.common).toMatchObject({ model_class: "LogisticRegression", dataset_class: "Synthetic" });
    expect(comparison.differing).toContain("params.epochs");
    expect(comparison.ranked.map((r) => r.run_id).sort()).toEqual([a.run_id, b.run_id].sort());
    const csv = await runCli(["export", "--format", "csv"], { cwd: dir });
    const [header, ...lines] = csv.stdout.trim().split("\r\n");
    expect(header.split(",")).toEqual(expect.arrayContaining(["run_id", "params.epochs", "metrics.accuracy"]));
    expect(lines).toHaveLength(2);
  });

  it("loads the workspace's own components from mlexp.config.ts", async () => {
    const dir = tempDir();
    initRepo(dir);
    writeFiles(dir, {
      "mlexp.config.ts": 'import { registerModel } from "mlexp";\nimport { Always } from "./models/always";\nregisterModel("AlwaysFirst", Always);\n',
      "models/always.ts": [
        'import { Model, param, type Matrix, type ParamValues } from "mlexp";',
        "const spec = { label: param.integer({ default: 0, min: 0 }) };",
        "export class Always extends Model<ParamValues<typeof spec>> {",
        "  static override readonly params = spec;",
        '  static override readonly description = "Predicts one class";',
        "  fit(): void {}",
        "  predict(X: Matrix): Float64Array { return new Float64Array(X.rows).fill(this.params.label); }",
        "  save(): void {}",
        "  load(): void {}",
        "}",
      ].join("\n"),
    });
    const listed = await runCliJson<{ name: string; builtin: boolean; kind: string }[]>(["list"], dir);
    expect(listed).toContainEqual(expect.objectContaining({ name: "AlwaysFirst", builtin: false, kind: "model" }));
    expect(listed).toContainEqual(expect.objectContaining({ name: "RandomForestClassifier", builtin: true }));
    const run = await train(dir, "--model", "AlwaysFirst", "--dataset", "Synthetic", "--dataset-params", synthetic());
    expect(run.metrics.accuracy).toBeGreaterThan(0.2);
    expect(run.metrics).not.toHaveProperty("roc_auc");
  });
});

describe("mlexp train, more", () => {
  it("handles string labels with several classes and records the classes", async () => {
    const dir = tempDir();
    const run = await train(dir, "--model", "LogisticRegression", "--dataset", "Synthetic", "--dataset-params", synthetic({ classes: 4, stringLabels: true, categorical: 2 }), "--features", "OneHotEncoder");
    expect((run.details.classes as string[]).length).toBe(4);
    expect((run.details.classes as string[]).every((c) => typeof c === "string")).toBe(true);
    expect(run.details.averaging).toBe("macro");
    expect(run.metrics.accuracy).toBeGreaterThan(0.4);
  });

  it("records a run cancelled with Ctrl-C as cancelled", async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [CLI, "train", "--model", "MLPClassifierTfjs", "--model-params", '{"epochs": 100000}', "--dataset", "Synthetic", "--dataset-params", synthetic({ rows: 2000 })], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    await waitUntil(async () => (await runCliJson<ModelRun[]>(["runs"], dir).catch(() => [])).some((r) => r.status === "running"));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/mlexp: Training was cancelled/);
    const [run] = await runCliJson<ModelRun[]>(["runs"], dir);
    expect(run.status).toBe("cancelled");
    expect(run.end_time).not.toBeNull();
  });

  it("uses the wasm backend for TensorFlow.js here, falls back to cpu when told, and records which", async () => {
    const dir = tempDir();
    const args = ["train", "--json", "--model", "LogisticRegressionTfjs", "--model-params", '{"epochs": 2}', "--dataset", "Synthetic", "--dataset-params", synthetic()];
    const wasm = JSON.parse((await runCli(args, { cwd: dir })).stdout) as ModelRun;
    expect(wasm.backend).toBe("wasm");
    const cpu = JSON.parse((await runCli(args, { cwd: dir, env: { MLEXP_TF_BACKEND: "cpu" } })).stdout) as ModelRun;
    expect(cpu.backend).toBe("cpu");
    expect(cpu.metrics.accuracy).toBeCloseTo(wasm.metrics.accuracy, 1);
  });

  it("leaves large untracked files out of the code snapshot, naming them", async () => {
    const dir = repoWithData();
    writeFiles(dir, { "big.bin": "x".repeat(300_000), "small.ts": "export {};\n" });
    const result = await runCli(["train", "--json", "--model", "LogisticRegression", "--dataset", "Synthetic", "--max-untracked-mb", "0.1"], { cwd: dir });
    expect(result.stderr).toMatch(/warning: Left out of the code snapshot .*: big\.bin\./);
    const run = JSON.parse(result.stdout) as ModelRun;
    expect(run.details.warnings).toEqual([expect.stringContaining("big.bin")]);
  });
});

async function waitUntil(probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
