import type { MetricPoint, ModelRun, SearchTrial } from "../../../src/core/store/runRecord";

/** A small deterministic generator (mulberry32): the same runs every time, so screenshots are comparable. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODELS = ["LogisticRegression", "RandomForest", "MLPClassifier"] as const;

export interface FakeStore {
  runs: ModelRun[];
  curves: Record<string, MetricPoint[]>;
  trials: Record<string, SearchTrial[]>;
}

/**
 * `count` plausible runs: three models with their own parameters, a shared dataset and feature
 * generator (so "differences only" has columns to hide), a few git commits some of them dirty,
 * mostly finished runs with metrics, some failed without, one running.
 */
export function fakeStore(count: number, seed = 7): FakeStore {
  const random = generator(seed);
  const runs: ModelRun[] = [];
  const curves: Record<string, MetricPoint[]> = {};
  const trials: Record<string, SearchTrial[]> = {};
  for (let i = 0; i < count; i++) {
    const run = fakeRun(i, random);
    runs.push(run);
    if (run.status === "finished" && run.model_class !== "RandomForest") curves[run.run_id] = fakeCurve(random, Number(run.hyperparameters.epochs ?? 20));
    if (run.search.trials > 1) trials[run.run_id] = fakeTrials(random, run.search.trials);
  }
  return { runs, curves, trials };
}

function fakeRun(i: number, random: () => number): ModelRun {
  const model = MODELS[i % MODELS.length];
  const start = new Date(Date.UTC(2026, 10, 1) + i * 137_000);
  const status = i === 5 ? "running" : i % 97 === 13 ? "failed" : "finished";
  const accuracy = 0.6 + random() * 0.35;
  const id = `${start.toISOString().slice(0, 10).replaceAll("-", "")}-${start.toISOString().slice(11, 19).replaceAll(":", "")}-${(i * 2654435761 >>> 0).toString(16).padStart(8, "0").slice(0, 8)}`;
  const metrics: Record<string, number> = status === "finished" ? { accuracy, log_loss: 1.1 - accuracy + random() * 0.1, f1: accuracy - random() * 0.05, roc_auc: Math.min(0.999, accuracy + random() * 0.05) } : {};
  const searched = i % 4 === 0;
  return {
    run_id: id,
    model_class: model,
    hyperparameters: hyperparameters(model, random),
    githash: (Math.floor(i / 40) * 7919 + 1).toString(16).padStart(40, "a"),
    feature_generator_class: "StandardScaler",
    dataset_class: "CsvFile",
    metrics,
    artifacts: `.mlexp/runs/${id}`,
    start_time: start.toISOString(),
    end_time: status === "running" ? null : new Date(start.getTime() + 1000 + random() * 90_000).toISOString(),
    status,
    model_params: {},
    feature_generator_params: { withMean: true },
    dataset_params: { path: "data/iris.csv", target: "species" },
    seed: 42,
    metric: "accuracy",
    search: { strategy: searched ? "random" : "grid", trials: searched ? 12 : 1, cv: searched ? 5 : 0 },
    task: "classification",
    test_fraction: 0.2,
    backend: model === "MLPClassifier" ? "wasm" : null,
    base_commit: null,
    dirty: i % 40 === 39,
    workspace_path: "",
    dataset_hash: "d41d8cd98f00b204e9800998ecf8427e",
    dataset_rows: 150,
    reproduced_from: null,
    reproduction: null,
    details: {},
    error: status === "failed" ? "Training diverged" : null,
    pid: null,
    host: "bench",
    mlexp_version: "0.1.0",
  };
}

function hyperparameters(model: (typeof MODELS)[number], random: () => number): Record<string, number | string> {
  if (model === "RandomForest") return { trees: 10 + Math.floor(random() * 20) * 10, maxDepth: 2 + Math.floor(random() * 10), criterion: random() < 0.5 ? "gini" : "entropy" };
  const learningRate = Number((10 ** (-4 + random() * 3)).toPrecision(2));
  if (model === "LogisticRegression") return { learningRate, epochs: 20 + Math.floor(random() * 4) * 10, l2: Number((random() * 0.1).toFixed(3)) };
  return { learningRate, epochs: 30, hiddenUnits: 16 * (1 + Math.floor(random() * 4)) };
}

function fakeCurve(random: () => number, epochs: number): MetricPoint[] {
  const points: MetricPoint[] = [];
  const floor = 0.2 + random() * 0.3;
  const speed = 0.05 + random() * 0.15;
  for (let step = 1; step <= epochs; step++) {
    const loss = floor + (1.2 - floor) * Math.exp(-speed * step) + (random() - 0.5) * 0.02;
    points.push({ step, name: "loss", value: loss }, { step, name: "val_loss", value: loss + 0.05 + random() * 0.03 });
  }
  return points;
}

function fakeTrials(random: () => number, count: number): SearchTrial[] {
  return Array.from({ length: count }, (_, trial) => {
    const folds = Array.from({ length: 5 }, () => 0.6 + random() * 0.35);
    return { trial, params: { learningRate: Number((10 ** (-4 + random() * 3)).toPrecision(2)) }, score: folds.reduce((a, b) => a + b) / folds.length, fold_scores: folds };
  });
}
