/**
 * `npm run bench -- store-team` (also part of `store`): the PostgreSQL 15 team store, started here
 * on 127.0.0.1. The newest 100 runs and one run by id with 1 and with 100,000 runs stored; a push
 * of a run (its row, curve, 100 MB dataset and model files) from a workspace, a pull of it into a
 * fresh clone, and the same push again; each next to a baseline measured in the same run, with the
 * issue's goals and the machine's load beside them.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Dataset, type Column } from "../../src/core/data/dataset";
import { FileObjectBackend } from "../../src/core/objects/fileObjectBackend";
import { copyRuns, type StoreEnd } from "../../src/core/store/copyRuns";
import { RunDatabase } from "../../src/core/store/database";
import { PostgresDatabase } from "../../src/core/store/postgres/database";
import { PostgresObjectBackend } from "../../src/core/store/postgres/postgresObjectBackend";
import { PostgresRunFiles } from "../../src/core/store/postgres/postgresRunFiles";
import { PostgresRunStore } from "../../src/core/store/postgres/postgresRunStore";
import { WorkspaceRunStore } from "../../src/core/store/workspaceRunStore";
import { startPostgres, type PostgresServer } from "../helpers/postgres";
import { makeRun } from "../helpers/runs";
import { measure, printStoreTable, type Figures } from "./store";
import { printTable, timeIt } from "./timing";

const GOALS = { newest100Ms: 50, byIdMs: 10, pushMs: 10_000, pullMs: 10_000 };

const load = () => os.loadavg().map((n) => n.toFixed(1)).join(", ");

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

async function benchRuns(server: PostgresServer): Promise<Figures[]> {
  const figures: Figures[] = [];
  for (const count of [1, 100_000]) {
    const url = await server.createDatabase();
    await fillPostgres(server, url, count);
    const stored = Number(((await server.query(url.split("/").pop() as string, "SELECT count(*) AS n FROM model_runs")) as { n: string }[])[0].n);
    figures.push(await measure("team (PostgreSQL 15)", stored.toLocaleString("en"), () => new PostgresRunStore(new PostgresDatabase(url, { password: server.password }))));
  }
  return figures;
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

/** A workspace's `.mlexp/` as a store end: its run database, object folder and run folders. */
function workspaceEnd(dir: string): StoreEnd & { objects: FileObjectBackend } {
  const objects = new FileObjectBackend(path.join(dir, "objects"));
  return { runs: new WorkspaceRunStore(new RunDatabase(path.join(dir, "mlexp.db"))), objects, files: { kind: "folder", runsDir: path.join(dir, "runs"), cache: objects } };
}

async function benchRunTransfer(server: PostgresServer): Promise<boolean> {
  const url = await server.createDatabase();
  const db = new PostgresDatabase(url, { password: server.password });
  const teamObjects = new PostgresObjectBackend(db);
  const team: StoreEnd = { runs: new PostgresRunStore(db), objects: teamObjects, files: { kind: "index", index: new PostgresRunFiles(db), objects: teamObjects } };
  const hereDir = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-push-"));
  const here = workspaceEnd(hereDir);
  const { manifest } = await here.objects.store.putDataset(bigDataset());
  const run = makeRun({ run_id: "20260301-120000-0000beef", artifacts: ".mlexp/runs/20260301-120000-0000beef", dataset_hash: manifest.hash, dataset_rows: manifest.rows });
  const runDir = path.join(hereDir, "runs", run.run_id);
  fs.mkdirSync(path.join(runDir, "model"), { recursive: true });
  // A model of a few MB that does not compress (weights), and the small JSON files a run has.
  fs.writeFileSync(path.join(runDir, "model", "weights.bin"), randomBytes(8 * 1024 * 1024));
  fs.writeFileSync(path.join(runDir, "run.json"), JSON.stringify({ run, history: [], trials: [] }));
  await here.runs.importRun({ run, history: [{ step: 0, name: "loss", value: 1 }], trials: [] });
  const modelBytes = 8 * 1024 * 1024;
  const rawBytes = manifest.rows * 10 * 8;

  const push = await timeIt(() => copyRuns(here, team, [run]));
  const freshDir = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-clone-"));
  const fresh = workspaceEnd(freshDir);
  const pull = await timeIt(() => copyRuns(team, fresh, [run]));
  // Each pack's index is loaded by every later read, and each pack cost an fsync: a pull should write few.
  const pulledPacks = fs.readdirSync(path.join(freshDir, "objects", "packs")).filter((name) => name.endsWith(".pack")).length;
  const read = await timeIt(async () => fresh.objects.store.getDataset(manifest.hash));
  const again = await timeIt(() => copyRuns(here, team, [run]));
  const baseline = await timeIt(async () => fs.cpSync(hereDir, `${hereDir}-copy`, { recursive: true }));
  const whole = pull.value.failed.length === 0 && push.value.failed.length === 0 && fs.readFileSync(path.join(freshDir, "runs", run.run_id, "model", "weights.bin")).equals(fs.readFileSync(path.join(runDir, "model", "weights.bin")));
  printTable(
    `Push and pull of a run with a ${(rawBytes / 1e6).toFixed(0)} MB dataset (${manifest.rows.toLocaleString("en")} rows × 10 float64 columns; ${(manifest.bytes / 1e6).toFixed(0)} MB as stored, ${manifest.chunkCount} chunks) and a ${(modelBytes / 1e6).toFixed(0)} MB model file, workspace ↔ team store (load ${load()})`,
    ["step", "ms", "chunks sent", "MB sent", "× a local folder copy", "goal"],
    [
      ["push the run to PostgreSQL", push.ms, push.value.chunksSent, push.value.bytesSent / 1e6, push.ms / baseline.ms, `≤ ${GOALS.pushMs} ms: ${push.ms <= GOALS.pushMs ? "met" : "MISSED"}`],
      ["pull it into a fresh clone", pull.ms, pull.value.chunksSent, pull.value.bytesSent / 1e6, pull.ms / baseline.ms, `≤ ${GOALS.pullMs} ms: ${pull.ms <= GOALS.pullMs ? "met" : "MISSED"}${whole ? "" : " (files differ!)"}; ${pulledPacks} packs written`],
      ["read the dataset there (verified)", read.ms, 0, 0, read.ms / baseline.ms, ""],
      ["push it again", again.ms, again.value.chunksSent, again.value.bytesSent / 1e6, again.ms / baseline.ms, `0 new chunks: ${again.value.chunksSent === 0 ? "met" : "MISSED"}`],
      ["baseline: cp -r of the workspace's .mlexp", baseline.ms, 0, 0, 1, ""],
    ],
  );
  for (const end of [here, fresh, team]) await end.runs.close();
  for (const dir of [hereDir, `${hereDir}-copy`, freshDir]) fs.rmSync(dir, { recursive: true, force: true });
  return whole;
}

export async function benchTeamStore(): Promise<void> {
  const server = await startPostgres();
  try {
    const figures = await benchRuns(server);
    printStoreTable(figures);
    const big = figures[figures.length - 1];
    console.log(
      `PostgreSQL with ${big.runs} runs (load ${load()}): newest 100 ${big.newest100.toFixed(1)} ms (goal ≤ ${GOALS.newest100Ms}: ${big.newest100 <= GOALS.newest100Ms ? "met" : "MISSED"}); ` +
        `one run by id ${big.byId.toFixed(1)} ms (goal ≤ ${GOALS.byIdMs}: ${big.byId <= GOALS.byIdMs ? "met" : "MISSED"}).`,
    );
    if (!(await benchRunTransfer(server))) throw new Error("The pulled run's files differ from the pushed ones.");
  } finally {
    await server.stop();
  }
}
