/**
 * `npm run bench -- store`: what a training's storing costs, how fast the newest runs are listed,
 * and how fast the extension's Runs view (its data path: RunRepository and RunsPageLoader, minus
 * VS Code's drawing) sees a new run, with 1, 10,000 and 100,000 runs in the workspace's sql.js
 * store, each next to the same figure for a 1-run store measured in the same run. The team store's
 * figures (and its push and pull of a run with a 100 MB dataset) are in teamStore.ts
 * (`npm run bench -- store-team`, also run by this section).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CHECKPOINT_BYTES, RunDatabase } from "../../src/core/store/database";
import type { MetricPoint, ModelRun } from "../../src/core/store/runRecord";
import type { RunStore } from "../../src/core/store/runStore";
import { WorkspaceRunStore } from "../../src/core/store/workspaceRunStore";
import { RunRepository } from "../../src/extension/runs/runRepository";
import { RunsPageLoader } from "../../src/extension/runs/runsPage";
import { moreNodes, runDescription, runLabel, runsRoot, runTooltipMarkdown } from "../../src/extension/runs/runTree";
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

/** The workspace store's figures, with the Runs view's refresh, a new process's first read and the checkpoint. */
interface WorkspaceFigures extends Figures {
  viewRefresh: number;
  firstRead: number;
  /** Folding the journal into the database file, and that cost spread over the trainings one checkpoint holds. */
  checkpoint: { ms: number; perTraining: number };
}

/** What the Runs view does on a refresh, minus VS Code's drawing: check the store, read the page, make every row's texts. */
async function refreshRunsView(repository: RunRepository, loader: RunsPageLoader): Promise<number> {
  await repository.changeToken();
  const page = await loader.load();
  let rows = 0;
  for (const node of [...runsRoot(page.runs, { groupByModel: false }), ...moreNodes(page.runs.length, page.total)]) {
    if (node.kind !== "run") rows++;
    else if (runLabel(node.run, {}).length + runDescription(node.run).length + runTooltipMarkdown(node.run).length > 0) rows++;
  }
  return rows;
}

/**
 * One workspace store under measurement. Each round: a training's writes (running row, then the
 * final row with its curve) from a store opened for it, as a new training process does; then the
 * reads the views make from handles kept open. Rounds of all the stores are interleaved, so that
 * the load other work puts on the machine falls on the 1-run baseline and the large stores alike.
 */
class WorkspaceProbe {
  private readonly file: string;
  private readonly reader: RunStore;
  private readonly repository: RunRepository;
  private readonly loader: RunsPageLoader;
  private readonly storing: number[] = [];
  private readonly newest: number[] = [];
  private readonly byId: number[] = [];
  private readonly view: number[] = [];
  private readonly journalBefore: number;
  private rounds = 0;

  constructor(
    workspace: string,
    private readonly runs: string,
  ) {
    this.file = path.join(workspace, ".mlexp", "mlexp.db");
    this.reader = this.open();
    this.repository = new RunRepository(workspace);
    this.loader = new RunsPageLoader(() => this.repository);
    this.journalBefore = fileSize(new RunDatabase(this.file).journalFile);
  }

  private open(): RunStore {
    return new WorkspaceRunStore(new RunDatabase(this.file));
  }

  async warm(): Promise<void> {
    await refreshRunsView(this.repository, this.loader);
    await this.reader.listRuns({ limit: 100 });
  }

  async round(): Promise<void> {
    const run = { ...runNumber(900_000_000 + this.rounds++, "20270101"), status: "running" as const };
    const stored = await timeIt(async () => {
      const writer = this.open();
      await writer.createRun(run);
      await writer.finishRun(run.run_id, { status: "finished", end_time: new Date().toISOString() }, CURVE, []);
      await writer.close();
    });
    this.storing.push(stored.ms);
    const refreshed = await timeIt(() => refreshRunsView(this.repository, this.loader));
    if (refreshed.value === 0) throw new Error("the Runs view showed no rows");
    this.view.push(refreshed.ms);
    this.newest.push((await timeIt(() => this.reader.listRuns({ limit: 100 }))).ms);
    this.byId.push((await timeIt(() => this.reader.getRun(run.run_id))).ms);
  }

  async finish(): Promise<WorkspaceFigures> {
    const fresh = this.open();
    const firstRead = (await timeIt(() => fresh.listRuns({ limit: 100 }))).ms;
    const database = new RunDatabase(this.file);
    const perTrainingBytes = (fileSize(database.journalFile) - this.journalBefore) / this.rounds;
    const ms = (await timeIt(() => database.checkpointNow())).ms;
    database.close();
    await Promise.all([this.reader.close(), fresh.close()]);
    this.repository.close();
    return {
      store: "workspace (sql.js)",
      runs: this.runs,
      storing: median(this.storing),
      newest100: median(this.newest),
      byId: median(this.byId),
      afterNewRun: median(this.view),
      viewRefresh: median(this.view),
      firstRead,
      checkpoint: { ms, perTraining: ms / (CHECKPOINT_BYTES / perTrainingBytes) },
    };
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

async function benchWorkspace(rounds = 9): Promise<WorkspaceFigures[]> {
  const probes: WorkspaceProbe[] = [];
  const dirs: string[] = [];
  for (const [count, curves] of [
    [1, true],
    [10_000, true],
    [100_000, false],
  ] as const) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-store-"));
    dirs.push(dir);
    const file = path.join(dir, ".mlexp", "mlexp.db");
    await fillWorkspace(file, count, curves);
    const size = fs.statSync(file).size;
    probes.push(new WorkspaceProbe(dir, `${count.toLocaleString("en")}${curves && count > 1 ? " with curves" : ""} (${(size / 1048576).toFixed(1)} MiB)`));
  }
  for (const probe of probes) await probe.warm();
  for (let r = 0; r < rounds; r++) for (const probe of probes) await probe.round();
  const figures: WorkspaceFigures[] = [];
  for (const probe of probes) figures.push(await probe.finish());
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  return figures;
}

function printWorkspaceTable(figures: WorkspaceFigures[]): void {
  const base = figures[0];
  const goal = 1.2 * base.storing + 50;
  printTable(
    `Workspace store (medians, ms; ratios against the 1-run store measured in this run; load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")})`,
    ["runs", "storing a training", "×1-run", "≤ 1.2×1-run + 50 ms", "newest 100 (≤ 100)", "one run by id", "Runs view refresh after a new run (≤ 200)", "first read, new process", "checkpoint"],
    figures.map((f) => [
      f.runs,
      f.storing,
      f.storing / base.storing,
      `${f.storing <= goal ? "met" : "MISSED"} (≤ ${goal.toFixed(0)})`,
      f.newest100,
      f.byId,
      f.viewRefresh,
      f.firstRead,
      `${f.checkpoint.ms.toFixed(0)} (${f.checkpoint.perTraining.toFixed(2)}/training)`,
    ]),
  );
}

export async function benchStore(): Promise<void> {
  printWorkspaceTable(await benchWorkspace());
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
