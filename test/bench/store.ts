/**
 * `npm run bench -- store`: what a training's storing costs, how fast the newest runs are listed,
 * and how fast a view sees a new run, with 1, 10,000 and 100,000 runs in the store — the
 * workspace's sql.js database and a PostgreSQL 15 team store started here — each next to the
 * same figure for a 1-run store measured in the same run. The team store's figures (and its
 * push and pull of a run with a 100 MB dataset) are in teamStore.ts (`npm run bench -- store-team`).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RunDatabase } from "../../src/core/store/database";
import type { MetricPoint, ModelRun } from "../../src/core/store/runRecord";
import type { RunStore } from "../../src/core/store/runStore";
import { WorkspaceRunStore } from "../../src/core/store/workspaceRunStore";
import { makeRun } from "../helpers/runs";
import { benchTeamStore } from "./teamStore";
import { median, printTable, timeIt } from "./timing";

const CURVE: MetricPoint[] = Array.from({ length: 50 }, (_, step) => [
  { step, name: "loss", value: 1 / (step + 1) },
  { step, name: "accuracy", value: 0.5 + step / 200 },
]).flat();

export function runNumber(i: number, stamp = "20260101"): ModelRun {
  const id = `${stamp}-${String(Math.floor(i / 60) % 240000).padStart(6, "0").slice(-6)}-${(0x10000000 + i).toString(16)}`;
  return makeRun({ run_id: id, artifacts: `.mlexp/runs/${id}`, start_time: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), metrics: { accuracy: 0.5 + (i % 100) / 200 } });
}

export interface Figures {
  store: string;
  runs: string;
  storing: number;
  newest100: number;
  byId: number;
  afterNewRun: number;
}

/** A training's writes (running row, then the final row with its curve), the reads a view makes, a fresh reader after a write. */
export async function measure(label: string, runs: string, open: () => RunStore, samples = 5): Promise<Figures> {
  const writer = open();
  const reader = open();
  const storing: number[] = [];
  const newest: number[] = [];
  const byId: number[] = [];
  const after: number[] = [];
  for (let s = 0; s < samples; s++) {
    const run = { ...runNumber(900_000_000 + s, "20270101"), status: "running" as const };
    await reader.listRuns({ limit: 100 });
    storing.push(
      (
        await timeIt(async () => {
          await writer.createRun(run);
          await writer.finishRun(run.run_id, { status: "finished", end_time: new Date().toISOString() }, CURVE, []);
        })
      ).ms,
    );
    // The view's refresh after the new run: the reader sees the change and reads the newest page.
    after.push(
      (
        await timeIt(async () => {
          await reader.changeToken();
          await reader.listRuns({ limit: 100 });
        })
      ).ms,
    );
    newest.push((await timeIt(() => reader.listRuns({ limit: 100 }))).ms);
    byId.push((await timeIt(() => reader.getRun(run.run_id))).ms);
  }
  await writer.close();
  await reader.close();
  return { store: label, runs, storing: median(storing), newest100: median(newest), byId: median(byId), afterNewRun: median(after) };
}

async function fillWorkspace(file: string, count: number, withCurves: boolean): Promise<void> {
  const db = new RunDatabase(file);
  await db.rewrite((sql) => {
    sql.exec("BEGIN");
    const insert = sql.prepare(`INSERT INTO model_runs (run_id, model_class, hyperparameters, githash, feature_generator_class, dataset_class, metrics, artifacts, start_time, end_time, status, model_params, feature_generator_params, dataset_params, seed, metric, search, task, test_fraction, details, mlexp_version)
      VALUES (?, 'LogisticRegression', '{"learningRate":0.05,"epochs":20}', '0123456789abcdef0123456789abcdef01234567', 'StandardScaler', 'CsvFile', ?, ?, ?, ?, 'finished', '{}', '{}', '{"path":"data.csv","target":"label"}', 42, 'accuracy', '{"strategy":"grid","trials":1,"cv":0}', 'classification', 0.2, '{"classes":["no","yes"]}', '0.1.0')`);
    const point = sql.prepare("INSERT INTO metric_history (run_id, step, name, value) VALUES (?, ?, ?, ?)");
    for (let i = 0; i < count; i++) {
      const run = runNumber(i);
      insert.run([run.run_id, JSON.stringify(run.metrics), run.artifacts, run.start_time, run.end_time]);
      if (withCurves) for (const p of CURVE) point.run([run.run_id, p.step, p.name, p.value]);
    }
    insert.free();
    point.free();
    sql.exec("COMMIT");
  });
  db.close();
}

async function benchWorkspace(): Promise<Figures[]> {
  const figures: Figures[] = [];
  for (const [count, curves] of [
    [1, true],
    [10_000, true],
    [100_000, false],
  ] as const) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-store-"));
    const file = path.join(dir, "mlexp.db");
    await fillWorkspace(file, count, curves);
    const size = fs.statSync(file).size;
    figures.push(await measure("workspace (sql.js)", `${count.toLocaleString("en")}${curves && count > 1 ? " with curves" : ""} (${(size / 1048576).toFixed(1)} MiB)`, () => new WorkspaceRunStore(new RunDatabase(file)), count >= 100_000 ? 3 : 5));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

export async function benchStore(): Promise<void> {
  const figures = await benchWorkspace();
  printStoreTable(figures);
  await benchTeamStore();
}

/** Medians of each store next to the same store with 1 run, measured in this run. */
export function printStoreTable(figures: Figures[]): void {
  const rows = figures.map((f) => {
    const base = figures.find((b) => b.store === f.store) as Figures;
    return [f.store, f.runs, f.storing, f.storing / base.storing, f.newest100, f.newest100 / base.newest100, f.byId, f.afterNewRun, f.afterNewRun / base.afterNewRun];
  });
  printTable(
    "Run store (medians, ms; ratios against the same store with 1 run, measured in this run)",
    ["store", "runs", "storing a training", "×1-run", "newest 100", "×1-run", "one run by id", "view after a new run", "×1-run"],
    rows,
  );
}
