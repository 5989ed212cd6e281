/**
 * Benchmark of the built-in logistic regressions and random forest against scikit-learn, on the
 * same seeded data in the same run: fit time (fit only, median of several fits), time relative to
 * our first model of the table, and held-out accuracy and log loss. scikit-learn runs when Debian's
 * python3 has it (`apt-get install python3-sklearn`); it gets the data as raw float64 files and
 * times its own fit. Both sides use one core (scikit-learn's forest with n_jobs=1, its default).
 * Besides wall time, the CPU time of the fit is shown: on a machine shared with other work it is
 * the steadier figure (for scikit-learn it includes any BLAS threads).
 *
 * Run alone with `npx tsx test/bench/models.ts`, or through `npm run bench`.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LogisticRegression } from "../../src/core/builtins/models/logisticRegression";
import { LogisticRegressionTfjs } from "../../src/core/builtins/models/logisticRegressionTfjs";
import { RandomForestClassifier } from "../../src/core/builtins/models/randomForestClassifier";
import type { Model } from "../../src/core/components/model";
import type { Matrix } from "../../src/core/data/matrix";
import { loadTf } from "../../src/core/tfjs/backend";
import { accuracy, makeClassification, makeContext, splitTail, type Dataset } from "../unit/models/helpers";

const PYTHON = "/usr/bin/python3";
const SEED = 12345;

interface BenchCase {
  label: string;
  trainRows: number;
  testRows: number;
  cols: number;
  classes: number;
}

const CASES: BenchCase[] = [
  { label: "50k × 20, 2 classes", trainRows: 50_000, testRows: 10_000, cols: 20, classes: 2 },
  { label: "100k × 20, 2 classes", trainRows: 100_000, testRows: 20_000, cols: 20, classes: 2 },
  { label: "100k × 20, 5 classes", trainRows: 100_000, testRows: 20_000, cols: 20, classes: 5 },
];

/** Fits per implementation; the median is reported. TensorFlow.js takes seconds per fit. */
const RUNS = { fast: 5, tfjs: 1 };

/**
 * The forests: 50 trees of depth 10 (our defaults) on the 100k-row cases, examining all 20 columns
 * per split (our default) and √20 ≈ 4 of them (scikit-learn's default). scikit-learn's exact CART
 * takes over a minute per fit with all columns here, so it fits once.
 */
const FOREST_CASES = CASES.filter((c) => c.trainRows === 100_000);
const FOREST_RUNS = { ours: 3, sklearn: 1 };
const FOREST_SETTINGS = [
  { label: "all columns", maxFeatures: 1, sklearnMaxFeatures: "1.0" },
  { label: "√cols columns", maxFeatures: Math.sqrt(20) / 20, sklearnMaxFeatures: '"sqrt"' },
];

interface Result {
  model: string;
  runs: number;
  fitMs: number;
  /** CPU time of the process during the fit (median), steadier than wall time when cores are shared. */
  fitCpuMs: number;
  accuracy: number;
  /** Held-out log loss: finer than accuracy at telling how close to the optimum a fit got. */
  logLoss: number;
  note?: string;
}

export async function benchModels(): Promise<void> {
  await benchLogisticRegressions();
  await benchRandomForests();
}

async function benchLogisticRegressions(): Promise<void> {
  const tf = await loadTf();
  const sklearn = sklearnVersion();
  console.log(`Logistic regression benchmark — Node ${process.version}, ${os.cpus().length} cores, tfjs backend ${tf.backend}`);
  console.log(`Our models use their default parameters: ${JSON.stringify(new LogisticRegression().params)}`);
  console.log(
    sklearn ? `scikit-learn ${sklearn}: LogisticRegression() defaults (lbfgs, C=1, tol 1e-4)` : "scikit-learn: not available (apt-get install python3-sklearn)",
  );
  for (const benchCase of CASES) {
    const { train, test } = splitTail(
      makeClassification(benchCase.trainRows + benchCase.testRows, benchCase.cols, benchCase.classes, SEED, 1),
      benchCase.testRows,
    );
    const results: Result[] = [];
    results.push(await timeOurs("LogisticRegression", () => new LogisticRegression(), train, test, RUNS.fast));
    results.push(await timeOurs("LogisticRegressionTfjs", () => new LogisticRegressionTfjs(), train, test, RUNS.tfjs));
    if (sklearn) results.push(await timeSklearn("scikit-learn LogisticRegression", "LogisticRegression()", train, test, RUNS.fast));
    printTable(benchCase.label, results);
  }
}

async function benchRandomForests(): Promise<void> {
  const sklearn = sklearnVersion();
  console.log(`\nRandom forest benchmark — 50 trees, maxDepth 10, one core; ours with minSamplesLeaf 1 and bootstrap, as scikit-learn's defaults`);
  if (!sklearn) console.log("scikit-learn: not available (apt-get install python3-sklearn)");
  for (const benchCase of FOREST_CASES) {
    const { train, test } = splitTail(
      makeClassification(benchCase.trainRows + benchCase.testRows, benchCase.cols, benchCase.classes, SEED, 1),
      benchCase.testRows,
    );
    const results: Result[] = [];
    for (const setting of FOREST_SETTINGS) {
      const create = (): RandomForestClassifier => new RandomForestClassifier({ nEstimators: 50, maxDepth: 10, maxFeatures: setting.maxFeatures });
      results.push(await timeOurs(`RandomForestClassifier, ${setting.label}`, create, train, test, FOREST_RUNS.ours));
      if (!sklearn) continue;
      const estimator = `RandomForestClassifier(n_estimators=50, max_depth=10, max_features=${setting.sklearnMaxFeatures}, n_jobs=1, random_state=0)`;
      results.push(await timeSklearn(`scikit-learn ${sklearn} forest, ${setting.label}`, estimator, train, test, FOREST_RUNS.sklearn));
    }
    printTable(`${benchCase.label}, random forests`, results);
  }
}

async function timeOurs(
  name: string,
  create: () => Model<object>,
  train: Dataset,
  test: Dataset,
  runs: number,
): Promise<Result> {
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let model: Model<object> | undefined;
  for (let run = 0; run < runs; run++) {
    model?.dispose?.();
    model = create();
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    await model.fit(train.X, train.y, makeContext(SEED, train.classes));
    const cpu = process.cpuUsage(cpuStart);
    times.push(performance.now() - start);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
  if (!model) throw new Error("runs must be at least 1");
  if (!model.predictProba) throw new Error(`${name} has no predictProba`);
  const result: Result = {
    model: name,
    runs,
    fitMs: median(times),
    fitCpuMs: median(cpuTimes),
    accuracy: accuracy(await model.predict(test.X), test.y),
    logLoss: logLoss(await model.predictProba(test.X), test.y),
    note: runs > 1 ? `first fit ${times[0].toFixed(0)} ms` : undefined,
  };
  model.dispose?.();
  return result;
}

/** Mean −log p(true class), with p clipped at 1e-15 as scikit-learn's log_loss does. */
function logLoss(proba: Matrix, y: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum -= Math.log(Math.max(proba.data[i * proba.cols + y[i]], 1e-15));
  return sum / y.length;
}

function sklearnVersion(): string | undefined {
  const probe = spawnSync(PYTHON, ["-c", "import sklearn; print(sklearn.__version__)"], { encoding: "utf8" });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/** Fits the scikit-learn estimator given as Python code `runs` times, timing only `fit`. */
const SKLEARN_SCRIPT = `
import json, sys, time
import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
folder, n_train, n_test, cols, runs, estimator = sys.argv[1], *map(int, sys.argv[2:6]), sys.argv[6]
def load(name, rows, width):
    data = np.fromfile(f"{folder}/{name}", dtype="<f8")
    return data.reshape(rows, width) if width > 1 else data
X_train, y_train = load("X_train", n_train, cols), load("y_train", n_train, 1).astype(int)
X_test, y_test = load("X_test", n_test, cols), load("y_test", n_test, 1).astype(int)
times, cpu_times = [], []
for _ in range(runs):
    model = eval(estimator)
    start, cpu_start = time.perf_counter(), time.process_time()
    model.fit(X_train, y_train)
    times.append((time.perf_counter() - start) * 1000)
    cpu_times.append((time.process_time() - cpu_start) * 1000)
print(json.dumps({
    "times": times,
    "cpuTimes": cpu_times,
    "accuracy": model.score(X_test, y_test),
    "logLoss": log_loss(y_test, model.predict_proba(X_test)),
    "iterations": int(np.max(model.n_iter_)) if hasattr(model, "n_iter_") else None,
}))
`;

async function timeSklearn(name: string, estimator: string, train: Dataset, test: Dataset, runs: number): Promise<Result> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-"));
  try {
    const write = (name: string, values: Float64Array): void =>
      fs.writeFileSync(path.join(folder, name), Buffer.from(values.buffer, values.byteOffset, values.byteLength));
    write("X_train", train.X.data);
    write("y_train", train.y);
    write("X_test", test.X.data);
    write("y_test", test.y);
    const args = ["-c", SKLEARN_SCRIPT, folder, ...[train.X.rows, test.X.rows, train.X.cols, runs].map(String), estimator];
    const output = JSON.parse(await runProcess(PYTHON, args)) as {
      times: number[];
      cpuTimes: number[];
      accuracy: number;
      logLoss: number;
      iterations: number | null;
    };
    const notes = [runs > 1 ? `first fit ${output.times[0].toFixed(0)} ms` : "", output.iterations === null ? "" : `${output.iterations} lbfgs iterations`];
    return {
      model: name,
      runs,
      fitMs: median(output.times),
      fitCpuMs: median(output.cpuTimes),
      accuracy: output.accuracy,
      logLoss: output.logLoss,
      note: notes.filter(Boolean).join(", ") || undefined,
    };
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

function runProcess(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${command} exited with ${code}: ${stderr}`))));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function printTable(label: string, results: Result[]): void {
  const reference = results[0].fitMs;
  const rows = results.map((r) => [
    r.model,
    `${r.fitMs.toFixed(1)} ms`,
    `${(r.fitMs / reference).toFixed(2)}×`,
    `${r.fitCpuMs.toFixed(0)} ms`,
    r.accuracy.toFixed(4),
    r.logLoss.toFixed(4),
    `${r.runs}${r.note ? ` (${r.note})` : ""}`,
  ]);
  const header = ["model", "fit (median)", `vs ${results[0].model}`, "fit CPU", "test accuracy", "test log loss", "fits"];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]): string => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(" | ")} |`;
  console.log(`\n${label}`);
  console.log(line(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows) console.log(line(row));
}

if (require.main === module) {
  benchModels().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
