import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CLI, median, printTable, REPO_ROOT, timeProcess } from "./timing";

const ROWS = 100_000;
const FEATURES = 20;

interface Case {
  model: string;
  params: Record<string, unknown>;
  repeats: number;
}

const CASES: Case[] = [
  { model: "LogisticRegression", params: {}, repeats: 5 },
  { model: "MLPClassifierTfjs", params: { epochs: 3, hiddenUnits: [32] }, repeats: 3 },
];

/**
 * Tracking overhead: `mlexp train` end to end against a plain script that does the same work with
 * the same library (load, split, features, fit, the same metrics) but records nothing — both in
 * fresh processes, on a 100,000-row dataset. The difference is what tracking costs: the code
 * snapshot, the stored dataset, database writes, artifacts.
 */
export async function benchTracking(): Promise<void> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-tracking-"));
  execFileSync("git", ["init", "-q"], { cwd: workspace });
  fs.writeFileSync(path.join(workspace, "README.md"), "bench\n");
  const rows: (string | number)[][] = [];
  for (const benchCase of CASES) rows.push(...measure(benchCase, workspace));
  printTable(`Tracking overhead on ${ROWS.toLocaleString()} × ${FEATURES} (median, fresh processes; goal: overhead under 30% of the tracked run)`, ["model", "what", "ms", "accuracy", "overhead"], rows);
  fs.rmSync(workspace, { recursive: true, force: true });
}

function measure({ model, params, repeats }: Case, workspace: string): (string | number)[][] {
  const plain = Array.from({ length: repeats }, () => timeProcess(process.execPath, ["-e", plainScript(model, params)], workspace));
  const inside = plain.map((run) => JSON.parse(run.stdout) as { fitMs: number; accuracy: number });
  const datasetParams = JSON.stringify({ rows: ROWS, features: FEATURES });
  const tracked = Array.from({ length: repeats }, () =>
    timeProcess(process.execPath, [CLI, "train", "--json", "--model", model, "--model-params", JSON.stringify(params), "--dataset", "Synthetic", "--dataset-params", datasetParams], workspace),
  );
  const accuracy = (JSON.parse(tracked[0].stdout) as { metrics: { accuracy: number } }).metrics.accuracy;
  const plainMs = median(plain.map((r) => r.ms));
  const trackedMs = median(tracked.map((r) => r.ms));
  const overhead = trackedMs - plainMs;
  return [
    [model, "bare fit (inside the plain script)", median(inside.map((f) => f.fitMs)), inside[0].accuracy, ""],
    [model, "plain script, nothing recorded", plainMs, inside[0].accuracy, ""],
    [model, "mlexp train, recorded", trackedMs, accuracy, `${overhead.toFixed(0)} ms = ${((overhead / trackedMs) * 100).toFixed(1)}%`],
  ];
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

if (require.main === module) void benchTracking();
