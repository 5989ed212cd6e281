/**
 * `npm run bench -- store`: what a training's storing costs, how fast the newest runs are listed,
 * and how fast the extension's Runs view (its data path: RunRepository and RunsPageLoader, minus
 * VS Code's drawing) is refreshed after a new run, with 1, 10,000 and 100,000 runs in the store — the
 * workspace's sql.js database and a PostgreSQL 15 team store started here — each next to the
 * same figure for a 1-run store measured in the same run. And, for the team store, pushing a
 * 100 MB dataset and pulling it into a fresh clone.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Dataset, type Column } from "../../src/core/data/dataset";
import { FileObjectBackend } from "../../src/core/objects/fileObjectBackend";
import { copyDataset } from "../../src/core/objects/transfer";
import { CHECKPOINT_BYTES, RunDatabase } from "../../src/core/store/database";
import { PostgresDatabase } from "../../src/core/store/postgres/database";
import { PostgresObjectBackend } from "../../src/core/store/postgres/postgresObjectBackend";
import { PostgresRunStore } from "../../src/core/store/postgres/postgresRunStore";
import type { MetricPoint, ModelRun } from "../../src/core/store/runRecord";
import type { RunStore } from "../../src/core/store/runStore";
import { WorkspaceRunStore } from "../../src/core/store/workspaceRunStore";
import { RunRepository } from "../../src/extension/runs/runRepository";
import { RunsPageLoader } from "../../src/extension/runs/runsPage";
import { moreNodes, runDescription, runLabel, runsRoot, runTooltipMarkdown } from "../../src/extension/runs/runTree";
import { makeRun } from "../helpers/runs";
import { startPostgres, type PostgresServer } from "../helpers/postgres";
import { median, printTable, timeIt } from "./timing";

const CURVE: MetricPoint[] = Array.from({ length: 50 }, (_, step) => [
  { step, name: "loss", value: 1 / (step + 1) },
  { step, name: "accuracy", value: 0.5 + step / 200 },
]).flat();

function runNumber(i: number, stamp = "20260101"): ModelRun {
  const id = `${stamp}-${String(Math.floor(i / 60) % 240000).padStart(6, "0").slice(-6)}-${(0x10000000 + i).toString(16)}`;
  return makeRun({ run_id: id, artifacts: `.mlexp/runs/${id}`, start_time: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), metrics: { accuracy: 0.5 + (i % 100) / 200 } });
}

interface Figures {
  store: string;
  runs: string;
  storing: number;
  newest100: number;
  byId: number;
  /** The extension's Runs view after a new run: its change check and the page it reads (RunsPageLoader), with each row's label, description and tooltip. */
  viewRefresh: number;
  /** A new process's first read of the newest 100 (the file and its journal read whole). */
  firstRead: number;
  /** Folding the journal into the database file (workspace only), and what that costs per training, spread over the trainings one checkpoint holds. */
  checkpoint?: { ms: number; perTraining: number };
}

/** What the Runs view does on a refresh, minus VS Code's drawing: check the store, read the page, make every row's texts. */
async function refreshRunsView(repository: RunRepository, loader: RunsPageLoader): Promise<number> {
  await repository.changeToken();
  const page = await loader.load();
  let rows = 0;
  for (const node of [...runsRoot(page.runs, { groupByModel: false }), ...moreNodes(page.runs.length, page.total)]) {
    if (node.kind === "run") rows += runLabel(node.run, {}).length + runDescription(node.run).length + runTooltipMarkdown(node.run).length > 0 ? 1 : 0;
    else rows++;
  }
  return rows;
}

interface Subject {
  open: () => RunStore;
  /** The extension's repository for this store, as the extension opens it. */
  repository: () => RunRepository;
  database?: RunDatabase;
}

/**
 * One store under measurement. Each round: a training's writes (running row, then the final row
 * with its curve) from a store opened for it, as a new training process does; then the reads the
 * views make from handles kept open. Rounds of all the stores are interleaved, so that the load
 * other work puts on the machine falls on the 1-run baseline and the large stores alike.
 */
class Probe {
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
    readonly label: string,
    readonly runs: string,
    private readonly subject: Subject,
  ) {
    this.reader = subject.open();
    this.repository = subject.repository();
    this.loader = new RunsPageLoader(() => this.repository);
    this.journalBefore = subject.database ? fileSize(subject.database.journalFile) : 0;
  }

  async warm(): Promise<void> {
    await refreshRunsView(this.repository, this.loader);
    await this.reader.listRuns({ limit: 100 });
  }

  async round(): Promise<void> {
    const run = { ...runNumber(900_000_000 + this.rounds++, "20270101"), status: "running" as const };
    const stored = await timeIt(async () => {
      const writer = this.subject.open();
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

  async finish(): Promise<Figures> {
    const fresh = this.subject.open();
    const firstRead = (await timeIt(() => fresh.listRuns({ limit: 100 }))).ms;
    let checkpoint: Figures["checkpoint"];
    const database = this.subject.database;
    if (database) {
      const perTrainingBytes = (fileSize(database.journalFile) - this.journalBefore) / this.rounds;
      const ms = (await timeIt(() => database.checkpointNow())).ms;
      checkpoint = { ms, perTraining: ms / (CHECKPOINT_BYTES / perTrainingBytes) };
    }
    await Promise.all([this.reader.close(), fresh.close()]);
    this.repository.close();
    return {
      store: this.label,
      runs: this.runs,
      storing: median(this.storing),
      newest100: median(this.newest),
      byId: median(this.byId),
      viewRefresh: median(this.view),
      firstRead,
      ...(checkpoint ? { checkpoint } : {}),
    };
  }
}

async function measureInterleaved(probes: Probe[], rounds = 9): Promise<Figures[]> {
  for (const probe of probes) await probe.warm();
  for (let r = 0; r < rounds; r++) for (const probe of probes) await probe.round();
  const figures: Figures[] = [];
  for (const probe of probes) figures.push(await probe.finish());
  return figures;
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
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
  const probes: Probe[] = [];
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
    const subject: Subject = { open: () => new WorkspaceRunStore(new RunDatabase(file)), repository: () => new RunRepository(dir), database: new RunDatabase(file) };
    probes.push(new Probe("workspace (sql.js)", `${count.toLocaleString("en")}${curves && count > 1 ? " with curves" : ""} (${(size / 1048576).toFixed(1)} MiB)`, subject));
  }
  const figures = await measureInterleaved(probes);
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  return figures;
}

async function fillPostgres(server: PostgresServer, url: string, count: number): Promise<void> {
  const warm = new PostgresRunStore(new PostgresDatabase(url, { password: server.password }));
  await warm.countRuns(); // migrates
  await warm.close();
  if (count <= 0) return;
  await server.query(
    url.split("/").pop() as string,
    `INSERT INTO model_runs (run_id, model_class, hyperparameters, githash, feature_generator_class, dataset_class, metrics, artifacts, start_time, end_time, status, model_params, feature_generator_params, dataset_params, seed, metric, search, task, test_fraction, details, mlexp_version)
     SELECT '20260101-' || lpad((i / 60)::text, 6, '0') || '-' || to_hex(268435456 + i), 'LogisticRegression', '{"learningRate":0.05}', '0123456789abcdef0123456789abcdef01234567', 'StandardScaler', 'CsvFile',
       jsonb_build_object('accuracy', 0.5 + (i % 100) / 200.0), '.mlexp/runs/x', to_char(timestamp '2026-01-01' + i * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), null, 'finished', '{}', '{}', '{}', 42, 'accuracy', '{"strategy":"grid","trials":1,"cv":0}', 'classification', 0.2, '{}', '0.1.0'
     FROM generate_series(0, $1::int - 1) AS i`,
    [count],
  );
  await server.query(url.split("/").pop() as string, "ANALYZE");
}

async function benchPostgres(server: PostgresServer): Promise<Figures[]> {
  const probes: Probe[] = [];
  for (const count of [1, 100_000]) {
    const url = await server.createDatabase();
    await fillPostgres(server, url, count);
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-team-"));
    const subject: Subject = { open: () => new PostgresRunStore(new PostgresDatabase(url, { password: server.password })), repository: () => new RunRepository(workspace, url, server.password) };
    probes.push(new Probe("team (PostgreSQL 15)", count.toLocaleString("en"), subject));
  }
  return measureInterleaved(probes);
}

/** About 100 MB of columns: 1.3 million rows of 10 numbers. */
function bigDataset(): Dataset {
  const rows = 1_300_000;
  const columns: Column[] = Array.from({ length: 10 }, (_, c) => {
    const values = new Float64Array(rows);
    for (let r = 0; r < rows; r++) values[r] = Math.round(((r * (c + 7) * 2654435761) % 1_000_003) / 7) / 100;
    return { name: `f${c}`, kind: "number", values } satisfies Column;
  });
  return new Dataset(columns, "f0");
}

async function benchDataTransfer(server: PostgresServer): Promise<void> {
  const url = await server.createDatabase();
  const team = new PostgresDatabase(url, { password: server.password });
  const teamObjects = new PostgresObjectBackend(team);
  const here = new FileObjectBackend(fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-objects-")));
  const { manifest } = await here.store.putDataset(bigDataset());
  const push = await timeIt(() => copyDataset(manifest.hash, here, teamObjects));
  const fresh = new FileObjectBackend(fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-clone-")));
  const pull = await timeIt(() => copyDataset(manifest.hash, teamObjects, fresh));
  const read = await timeIt(async () => fresh.store.getDataset(manifest.hash));
  const again = await timeIt(() => copyDataset(manifest.hash, here, teamObjects));
  const baseline = await timeIt(async () => fs.cpSync(here.dir, `${here.dir}-copy`, { recursive: true }));
  printTable(
    `A ${(manifest.bytes / 1e6).toFixed(0)} MB dataset (${manifest.rows.toLocaleString("en")} rows, ${manifest.chunkCount} chunks) between a workspace and the team store`,
    ["step", "ms", "chunks sent", "× a local folder copy"],
    [
      ["push to PostgreSQL", push.ms, push.value.chunksSent, push.ms / baseline.ms],
      ["pull into a fresh clone", pull.ms, pull.value.chunksSent, pull.ms / baseline.ms],
      ["read it there (verified)", read.ms, 0, read.ms / baseline.ms],
      ["push again", again.ms, again.value.chunksSent, again.ms / baseline.ms],
      ["baseline: cp -r of the object folder", baseline.ms, 0, 1],
    ],
  );
  await team.close();
  for (const dir of [here.dir, `${here.dir}-copy`, fresh.dir]) fs.rmSync(dir, { recursive: true, force: true });
}

export async function benchStore(): Promise<void> {
  const figures = await benchWorkspace();
  const server = await startPostgres();
  try {
    figures.push(...(await benchPostgres(server)));
    const rows = figures.map((f) => {
      const base = figures.find((b) => b.store === f.store) as Figures;
      const goal = 1.2 * base.storing + 50;
      return [
        f.store,
        f.runs,
        f.storing,
        f.storing / base.storing,
        `${f.storing <= goal ? "met" : "MISSED"} (≤ ${goal.toFixed(0)})`,
        f.newest100,
        f.byId,
        f.viewRefresh,
        f.viewRefresh / base.viewRefresh,
        f.firstRead,
        f.checkpoint ? `${f.checkpoint.ms.toFixed(0)} (${f.checkpoint.perTraining.toFixed(2)}/training)` : "—",
      ];
    });
    printTable(
      `Run store (medians, ms; ratios against the same store with 1 run, measured in this run; load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")})`,
      ["store", "runs", "storing a training", "×1-run", "≤ 1.2×1-run + 50 ms", "newest 100", "one run by id", "Runs view refresh after a new run", "×1-run", "first read, new process", "checkpoint"],
      rows,
    );
    await benchDataTransfer(server);
  } finally {
    await server.stop();
  }
}
