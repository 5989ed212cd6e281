import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PYTHON, writeNumericCsv } from "./csvReading";
import { CLI, median, printTable, REPO_ROOT } from "./timing";

const ROWS = 100_000;
const FEATURES = 20;
/** Plain and tracked runs alternate, so both meet the same load from other work on the machine. */
const SKLEARN_REPEATS = 5;

interface Case {
  model: string;
  params: Record<string, unknown>;
  repeats: number;
}

const CASES: Case[] = [
  { model: "LogisticRegression", params: {}, repeats: 7 },
  { model: "MLPClassifierTfjs", params: { epochs: 3, hiddenUnits: [32] }, repeats: 3 },
];

/** A process's wall time, CPU time (all its threads; not its git children) and output. */
interface Timed {
  ms: number;
  cpuMs: number;
  stdout: string;
}

/**
 * Tracking overhead: `mlexp train` end to end against a plain script that does the same work with
 * the same library (load, split, features, fit, the same metrics) but records nothing — both in
 * fresh processes, on a 100,000-row dataset. The difference is what tracking costs: the code
 * snapshot, the stored dataset, database writes, artifacts. Then `mlexp train` on a 39 MB CSV
 * against a scikit-learn script doing the same job (pandas read_csv, LogisticRegression, the same
 * stratified 80/20 split and metrics).
 */
export async function benchTracking(): Promise<void> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-tracking-"));
  try {
    execFileSync("git", ["init", "-q"], { cwd: workspace });
    fs.writeFileSync(path.join(workspace, "README.md"), "bench\n");
    benchStartUp(workspace);
    const rows: (string | number)[][] = [];
    for (const benchCase of CASES) {
      const load = os.loadavg()[0];
      rows.push(...measure(benchCase, workspace).map((row) => [...row, load.toFixed(1)]));
    }
    printTable(
      `Tracking overhead on ${ROWS.toLocaleString()} × ${FEATURES} (median, fresh processes, plain and tracked alternating; goal: overhead ≤ 20% of the tracked run)`,
      ["model", "what", "ms", "CPU ms", "accuracy", "overhead (of tracked, of plain)", "load"],
      rows,
    );
    benchAgainstScikitLearn(workspace);
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

/** The CLI's start-up: `mlexp --version` against Node starting with nothing to do. */
function benchStartUp(workspace: string): void {
  const load = os.loadavg()[0];
  const bare: Timed[] = [];
  const cli: Timed[] = [];
  for (let i = 0; i < 7; i++) {
    bare.push(timeNode(["-e", "0"], workspace));
    cli.push(timeNode([CLI, "--version"], workspace));
  }
  const row = (what: string, runs: Timed[]) => [what, median(runs.map((r) => r.ms)), median(runs.map((r) => r.cpuMs)), load.toFixed(1)];
  printTable("CLI start-up (median of 7, alternating)", ["what", "ms", "CPU ms", "load"], [row("node -e 0", bare), row("mlexp --version (loads dist/cli.js)", cli)]);
}

/**
 * Plain script, then `mlexp train` on data new to the store (its objects removed first: the first
 * run on new data, which stores it), then again on the same data, which the source index finds
 * stored already (what a user's later runs on unchanged data pay), alternating.
 */
function measure({ model, params, repeats }: Case, workspace: string): (string | number)[][] {
  const datasetParams = JSON.stringify({ rows: ROWS, features: FEATURES });
  const args = [CLI, "train", "--json", "--model", model, "--model-params", JSON.stringify(params), "--dataset", "Synthetic", "--dataset-params", datasetParams];
  const plain: Timed[] = [];
  const first: Timed[] = [];
  const tracked: Timed[] = [];
  for (let i = 0; i < repeats; i++) {
    plain.push(timeNode(["-e", plainScript(model, params)], workspace));
    forgetStoredData(workspace);
    first.push(timeNode(args, workspace));
    tracked.push(timeNode(args, workspace));
  }
  const inside = plain.map((run) => JSON.parse(run.stdout) as { fitMs: number; accuracy: number });
  const accuracy = (JSON.parse(tracked[0].stdout) as { metrics: { accuracy: number } }).metrics.accuracy;
  const plainMs = median(plain.map((r) => r.ms));
  const row = (what: string, runs: Timed[]) => {
    const ms = median(runs.map((r) => r.ms));
    const overhead = ms - plainMs;
    return [model, what, ms, median(runs.map((r) => r.cpuMs)), accuracy, `${overhead.toFixed(0)} ms = ${((overhead / ms) * 100).toFixed(1)}%, ${((overhead / plainMs) * 100).toFixed(1)}%`];
  };
  return [
    [model, "bare fit (inside the plain script)", median(inside.map((f) => f.fitMs)), "", inside[0].accuracy, ""],
    [model, "plain script, nothing recorded", plainMs, median(plain.map((r) => r.cpuMs)), inside[0].accuracy, ""],
    row("mlexp train, recorded, data new to the store (stores it)", first),
    row("mlexp train, recorded, same data again (found stored)", tracked),
  ];
}

/** Removes the workspace's stored data (and with it the source index), so that the next run stores its data as new. */
function forgetStoredData(workspace: string): void {
  fs.rmSync(path.join(workspace, ".mlexp", "objects"), { recursive: true, force: true });
}

/** The same pipeline as `mlexp train`, through the library bundle, with nothing recorded. */
function plainScript(model: string, params: Record<string, unknown>): string {
  return `
    const m = require(${JSON.stringify(path.join(REPO_ROOT, "dist", "index.js"))});
    (async () => {
      const data = await new m.Synthetic({ rows: ${ROWS}, features: ${FEATURES} }).load({ workspace: process.cwd(), seed: 42, resolvePath: (p) => p });
      const rng = new m.Rng(42);
      const order = rng.shuffle(Array.from({ length: data.rowCount }, (_, i) => i));
      const cut = Math.round(data.rowCount * 0.8);
      const train = data.take(order.slice(0, cut)), test = data.take(order.slice(cut));
      const labels = (d) => Float64Array.from(d.targetColumn.values);
      const features = new m.Identity();
      features.fit(train);
      const model = new m.${model}(${JSON.stringify(params)});
      const start = performance.now();
      await model.fit(features.transform(train), labels(train), { task: "classification", classes: 2, seed: 42, rng: new m.Rng(42), onEpoch() {}, log() {} });
      const fitMs = performance.now() - start;
      const X = features.transform(test);
      const metrics = m.classificationMetrics(labels(test), await model.predict(X), 2, await model.predictProba(X));
      console.log(JSON.stringify({ fitMs, accuracy: metrics.accuracy }));
    })();`;
}

/** What the scikit-learn side does: the same job as `mlexp train` on the CSV, nothing recorded. */
const SKLEARN_SCRIPT = `
import json, resource, sys, time
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, log_loss, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import train_test_split
frame = pd.read_csv(sys.argv[1])
X = frame.drop(columns=["label"]).to_numpy()
y = frame["label"].to_numpy()
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42, stratify=y)
model = LogisticRegression().fit(X_train, y_train)
predicted = model.predict(X_test)
probability = model.predict_proba(X_test)[:, 1]
metrics = {"accuracy": accuracy_score(y_test, predicted), "precision": precision_score(y_test, predicted), "recall": recall_score(y_test, predicted),
           "f1": f1_score(y_test, predicted), "roc_auc": roc_auc_score(y_test, probability), "log_loss": log_loss(y_test, probability)}
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"metrics": metrics, "cpuMs": (usage.ru_utime + usage.ru_stime) * 1000}))`;

/**
 * `mlexp train` (tracked: snapshot, stored dataset, database, artifacts) on a 100,000 × 20 CSV of
 * 17-digit doubles (~39 MB, git-ignored in the workspace) against `python3` running scikit-learn
 * on it: pandas.read_csv, train_test_split (stratified 80/20), LogisticRegression() (lbfgs), the
 * same six metrics. Goal: ≤ 0.8× the scikit-learn script's wall time.
 */
export function benchAgainstScikitLearn(workspace: string): void {
  const probe = spawnSync(PYTHON, ["-c", "import sklearn, pandas; print(sklearn.__version__, pandas.__version__)"], { encoding: "utf8" });
  if (probe.status !== 0) {
    console.log(`\nmlexp train against scikit-learn: SKIPPED — ${PYTHON} with scikit-learn and pandas is not available (apt-get install python3-sklearn python3-pandas).`);
    return;
  }
  const [sklearnVersion, pandasVersion] = probe.stdout.trim().split(" ");
  const file = path.join(workspace, "data.csv");
  const size = writeNumericCsv(file, ROWS, FEATURES, "full");
  fs.writeFileSync(path.join(workspace, ".gitignore"), "data.csv\n");
  const load = os.loadavg()[0];
  const ours: Timed[] = [];
  const oursFirst: Timed[] = [];
  const theirs: Timed[] = [];
  const datasetParams = JSON.stringify({ path: "data.csv", target: "label" });
  const train = [CLI, "train", "--json", "--model", "LogisticRegression", "--dataset", "CsvFile", "--dataset-params", datasetParams];
  for (let i = 0; i < SKLEARN_REPEATS; i++) {
    forgetStoredData(workspace);
    oursFirst.push(timeNode(train, workspace));
    ours.push(timeNode(train, workspace));
    theirs.push(timeProcess(PYTHON, ["-c", SKLEARN_SCRIPT, file], workspace, (stdout) => (JSON.parse(stdout) as { cpuMs: number }).cpuMs));
  }
  const theirsMs = median(theirs.map((r) => r.ms));
  const theirsCpu = median(theirs.map((r) => r.cpuMs));
  const oursRow = (what: string, runs: Timed[]) => {
    const ms = median(runs.map((r) => r.ms));
    const cpu = median(runs.map((r) => r.cpuMs));
    return [what, ms, cpu, `${(ms / theirsMs).toFixed(2)}, ${(cpu / theirsCpu).toFixed(2)}`, shown(metrics(runs[0]))];
  };
  const metrics = (run: Timed) => (JSON.parse(run.stdout) as { metrics: Record<string, number> }).metrics;
  const shown = (m: Record<string, number>) => `accuracy ${m.accuracy.toFixed(4)}, roc_auc ${m.roc_auc.toFixed(4)}, log_loss ${m.log_loss.toFixed(4)}`;
  printTable(
    `mlexp train against scikit-learn ${sklearnVersion} (pandas ${pandasVersion}), ${ROWS.toLocaleString()} × ${FEATURES} CSV of ${(size / 1e6).toFixed(1)} MB (median of ${SKLEARN_REPEATS}, alternating; load average ${load.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; goal ≤ 0.8× scikit-learn's wall time)`,
    ["what", "ms", "CPU ms", "× scikit-learn (wall, CPU)", "held-out metrics"],
    [
      ["scikit-learn script: read_csv, split, LogisticRegression(), metrics", theirsMs, theirsCpu, "1, 1", shown(metrics(theirs[0]))],
      oursRow("mlexp train --model LogisticRegression --dataset CsvFile (recorded; CSV new to the store)", oursFirst),
      oursRow("mlexp train … (recorded; same CSV again, found stored)", ours),
    ],
  );
  console.log("CPU: the process's own threads (git's processes not counted; scikit-learn's BLAS threads counted).");
}

/** A Node process's wall and CPU time (reported by a preloaded script at exit). */
function timeNode(args: string[], cwd: string): Timed {
  const cpuFile = path.join(os.tmpdir(), `mlexp-bench-cpu-${process.pid}.json`);
  const report = `process.on("exit",()=>require("node:fs").writeFileSync(${JSON.stringify(cpuFile)},JSON.stringify(process.cpuUsage())))`;
  const preload = path.join(os.tmpdir(), `mlexp-bench-cpu-${process.pid}.cjs`);
  fs.writeFileSync(preload, report);
  try {
    return timeProcess(process.execPath, ["--require", preload, ...args], cwd, () => {
      const usage = JSON.parse(fs.readFileSync(cpuFile, "utf8")) as NodeJS.CpuUsage;
      return (usage.user + usage.system) / 1000;
    });
  } finally {
    fs.rmSync(cpuFile, { force: true });
    fs.rmSync(preload, { force: true });
  }
}

function timeProcess(command: string, args: string[], cwd: string, cpuOf: (stdout: string) => number): Timed {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${command} ${args.slice(0, 3).join(" ")}… failed (${result.status}): ${result.stderr}`);
  return { ms, cpuMs: cpuOf(result.stdout), stdout: result.stdout };
}

if (require.main === module) void benchTracking();
