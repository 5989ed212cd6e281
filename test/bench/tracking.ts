import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { CLI, median, printTable, REPO_ROOT, timeProcess } from "./timing";

const ROWS = 100_000;
const FEATURES = 20;
const REPEATS = 3;

/**
 * Tracking overhead: `mlexp train` end to end against a plain script that does the same work with
 * the same library (load, split, features, fit, evaluate) but records nothing — both in fresh
 * processes, on a 100,000-row dataset. The difference is what tracking costs: code snapshot, stored
 * dataset, database writes, artifacts.
 */
export async function benchTracking(): Promise<void> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-tracking-"));
  execFileSync("git", ["init", "-q"], { cwd: workspace });
  fs.writeFileSync(path.join(workspace, "README.md"), "bench\n");
  const datasetParams = JSON.stringify({ rows: ROWS, features: FEATURES });
  const plain = Array.from({ length: REPEATS }, () => timeProcess(process.execPath, ["-e", plainScript()], workspace));
  const fits = plain.map((run) => JSON.parse(run.stdout) as { fitMs: number; accuracy: number });
  const tracked = Array.from({ length: REPEATS }, () =>
    timeProcess(process.execPath, [CLI, "train", "--json", "--model", "LogisticRegression", "--dataset", "Synthetic", "--dataset-params", datasetParams], workspace),
  );
  const accuracy = (JSON.parse(tracked[0].stdout) as { metrics: { accuracy: number } }).metrics.accuracy;
  const plainMs = median(plain.map((r) => r.ms));
  const trackedMs = median(tracked.map((r) => r.ms));
  printTable(
    `Tracking overhead, LogisticRegression on ${ROWS.toLocaleString()} × ${FEATURES} (median of ${REPEATS}, fresh processes)`,
    ["what", "ms", "accuracy"],
    [
      ["bare fit (inside the plain script)", median(fits.map((f) => f.fitMs)), fits[0].accuracy],
      ["plain script, no tracking", plainMs, fits[0].accuracy],
      ["mlexp train (tracked)", trackedMs, accuracy],
    ],
  );
  console.log(`tracking overhead: ${(trackedMs - plainMs).toFixed(0)} ms = ${(((trackedMs - plainMs) / trackedMs) * 100).toFixed(1)}% of the tracked run (goal: under 30%)`);
  fs.rmSync(workspace, { recursive: true, force: true });
}

/** The same pipeline as `mlexp train`, through the library bundle, with nothing recorded. */
function plainScript(): string {
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
      const model = new m.LogisticRegression();
      const start = performance.now();
      await model.fit(features.transform(train), labels(train), { task: "classification", classes: 2, seed: 42, rng: new m.Rng(42), onEpoch() {}, log() {} });
      const fitMs = performance.now() - start;
      const predicted = await model.predict(features.transform(test));
      const truth = labels(test);
      let correct = 0;
      predicted.forEach((p, i) => (correct += p === truth[i] ? 1 : 0));
      console.log(JSON.stringify({ fitMs, accuracy: correct / truth.length }));
    })();`;
}

if (require.main === module) void benchTracking();
