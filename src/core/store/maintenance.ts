import * as fs from "node:fs";
import * as path from "node:path";
import * as os from "node:os";
import { git, repositoryTop } from "../git/git";
import { runRef } from "../git/snapshot";
import { HASH_PATTERN, TEMP_SUFFIX } from "../objects/chunkFiles";
import { packWriterPid } from "../objects/packWriter";
import { repackWithout } from "../objects/repack";
import { ObjectStore } from "../objects/objectStore";
import { readPendingMark } from "../training/artifacts";
import { processIsGone } from "../util/processes";
import type { Database } from "sql.js";
import { MANIFEST_FILE, readManifest, type RunManifest } from "../training/artifacts";
import { messageOf } from "../util/errors";
import { replaceAtomically } from "./atomicFile";
import { manifestProblem, runProblem, shorten } from "./manifestCheck";
import { RUN_ID_PATTERN, type ModelRun } from "./runRecord";
import * as runs from "./runs";
import type { TeamGcResult } from "./postgres/postgresGc";
import type { Store } from "./store";
import { WorkspaceRunStore } from "./workspaceRunStore";

export interface GcResult {
  removedDatasets: number;
  removedChunks: number;
  freedBytes: number;
  keptDatasets: number;
  /** Temporary files whose writer is gone (a killed process, a full disk), packs such a writer left without an index. */
  removedTempFiles: number;
  /** Runs that never got a row (killed before it was written): their folder and code snapshot ref. */
  removedAbandonedRuns: string[];
  /** Code checked out for reproductions (`.mlexp/snapshots/<commit>`) that no reproduction can be using. */
  removedSnapshots: number;
  /** What was collected in the team store (when one is in use). */
  team?: TeamGcResult;
}

/** Objects younger than this are kept: a run that is still training may be about to refer to them. */
export const GC_GRACE_MS = 60 * 60 * 1000;
/** File times and the clock of a run's start_time may differ this much. */
const CLOCK_SLACK_MS = 5_000;

/**
 * Removes stored datasets no run refers to, chunks no remaining dataset uses, stale temporary files
 * and runs that never got a row. Objects written since the earliest running training started are
 * kept whatever the grace: that training may be writing or reusing them (reused objects get a new
 * time). Holds the object store's collection lock, which a training takes to confirm its objects.
 */
export async function collectGarbage(store: Store, graceMs = GC_GRACE_MS): Promise<GcResult> {
  const objects = new ObjectStore(path.join(store.dir, "objects"));
  // A workspace whose runs stored no data yet has no object folder: its lock needs one.
  fs.mkdirSync(objects.dir, { recursive: true });
  const release = await objects.lockAgainstCollection();
  try {
    const all = await store.listRuns();
    // With a team store, the workspace database still holds runs waiting for `mlexp push`: the
    // local objects (the team store's cache) are kept for both.
    const waiting = store.isRemote ? await new WorkspaceRunStore(store.db).listRuns() : [];
    const cutoff = keepNewerThan([...all, ...waiting], graceMs);
    const result = await removeUnusedObjects(objects, [...all, ...waiting], cutoff);
    if (store.team) result.team = await store.team.collectGarbage(graceMs, earliestRunningStart(all));
    result.removedTempFiles = removeStaleTempFiles(store.dir) + removeUnindexedPacks(objects.chunks.packDir);
    result.removedAbandonedRuns = await removeAbandonedRuns(store, new Set([...all, ...waiting].map((run) => run.run_id)));
    if (!all.some((run) => run.status === "running")) result.removedSnapshots = removeOldSnapshots(path.join(store.dir, "snapshots"), cutoff);
    return result;
  } finally {
    await release();
  }
}

function earliestRunningStart(all: ModelRun[]): string | undefined {
  const starts = all.filter((run) => run.status === "running").map((run) => run.start_time);
  return starts.length ? starts.reduce((a, b) => (Date.parse(a) < Date.parse(b) ? a : b)) : undefined;
}

function keepNewerThan(all: ModelRun[], graceMs: number): number {
  let cutoff = Date.now() - graceMs;
  for (const run of all) if (run.status === "running") cutoff = Math.min(cutoff, Date.parse(run.start_time) - CLOCK_SLACK_MS);
  return cutoff;
}

async function removeUnusedObjects(objects: ObjectStore, all: ModelRun[], cutoff: number): Promise<GcResult> {
  const referenced = new Set(all.map((run) => run.dataset_hash).filter((h): h is string => Boolean(h)));
  const result: GcResult = { removedDatasets: 0, removedChunks: 0, freedBytes: 0, keptDatasets: 0, removedTempFiles: 0, removedAbandonedRuns: [], removedSnapshots: 0 };
  const liveChunks = new Set<string>();
  let keepAllChunks = false;
  for (const hash of objects.listDatasets()) {
    const file = objects.manifestPath(hash);
    if (referenced.has(hash) || isRecent(file, cutoff)) {
      result.keptDatasets++;
      const chunks = chunksOf(objects, hash);
      if (chunks === "unknown") keepAllChunks = true;
      else for (const chunk of chunks) liveChunks.add(chunk);
      continue;
    }
    result.freedBytes += removeFile(file);
    result.removedDatasets++;
  }
  // Chunk files of earlier versions: one file each.
  for (const file of listAllFiles(objects.chunks.looseDir)) {
    const chunk = path.basename(path.dirname(file)) + path.basename(file);
    if (!HASH_PATTERN.test(chunk) || keepAllChunks || liveChunks.has(chunk) || isRecent(file, cutoff)) continue;
    result.freedBytes += removeFile(file);
    result.removedChunks++;
  }
  // Packs: a pack written since the cutoff is kept whole (a running training may be using any of
  // its entries); older ones holding unused chunks are rewritten without them.
  const repacked = await repackWithout(objects.chunks, (chunk) => keepAllChunks || liveChunks.has(chunk), (pack) => !isRecent(pack.file, cutoff));
  result.removedChunks += repacked.removedEntries;
  result.freedBytes += repacked.freedBytes;
  return result;
}

/**
 * Packs a killed writer left without an index (it died between renaming the pack and writing its
 * index: nothing can refer to their chunks), and indexes whose pack is gone. A pack whose writer
 * still runs stays, unless it is older than the grace period (its pid then belongs to another process).
 */
function removeUnindexedPacks(packDir: string): number {
  if (!fs.existsSync(packDir)) return 0;
  const names = new Set(fs.readdirSync(packDir));
  let removed = 0;
  for (const name of names) {
    const stem = name.replace(/\.(pack|idx)$/, "");
    if (stem === name) continue;
    const file = path.join(packDir, name);
    const orphan = name.endsWith(".pack") ? !names.has(`${stem}.idx`) && writerIsGone(file, stem) : !names.has(`${stem}.pack`);
    if (!orphan) continue;
    fs.rmSync(file, { force: true });
    removed++;
  }
  return removed;
}

function writerIsGone(file: string, stem: string): boolean {
  const pid = packWriterPid(stem);
  return (pid !== undefined && processIsGone(pid, os.hostname())) || !isRecent(file, Date.now() - GC_GRACE_MS);
}

/** A kept dataset's groups and chunks; as many as can be read when it is damaged (the rest is kept by time or lost already). */
function chunksOf(objects: ObjectStore, hash: string): string[] | "unknown" {
  try {
    const manifest = objects.readManifest(hash);
    const chunks = [...manifest.groups];
    try {
      chunks.push(...objects.chunkHashes(manifest));
    } catch {
      // A damaged group: its chunks cannot be named. They stay until the dataset is stored again.
      return "unknown";
    }
    return chunks;
  } catch {
    return [];
  }
}

/**
 * A reproduction checks its code out there before its run gets a row (and reuses a checkout by
 * touching it): like objects, a checkout younger than the grace period may be in use by one, so
 * only older ones go.
 */
function removeOldSnapshots(dir: string, cutoff: number): number {
  if (!fs.existsSync(dir)) return 0;
  let removed = 0;
  for (const name of fs.readdirSync(dir)) {
    const entry = path.join(dir, name);
    if (isRecent(entry, cutoff)) continue;
    fs.rmSync(entry, { recursive: true, force: true });
    removed++;
  }
  return removed;
}

function isRecent(file: string, cutoff: number): boolean {
  try {
    return fs.statSync(file).mtimeMs > cutoff;
  } catch {
    return true;
  }
}

function removeFile(file: string): number {
  try {
    const size = fs.statSync(file).size;
    fs.rmSync(file);
    return size;
  } catch {
    return 0;
  }
}

/**
 * Temporary files are named `<file>.<pid>.<unique>.tmp` by the process writing them. Run folders
 * have them too: run.json, features.json and target.json are replaced atomically (a training killed
 * mid-write leaves one there).
 */
function removeStaleTempFiles(storeDir: string): number {
  let removed = 0;
  const candidates = [...fs.readdirSync(storeDir).map((name) => path.join(storeDir, name)), ...listAllFiles(path.join(storeDir, "objects")), ...listAllFiles(path.join(storeDir, "runs"))];
  for (const file of candidates) {
    if (!file.endsWith(TEMP_SUFFIX) || !isStaleTemp(file)) continue;
    fs.rmSync(file, { force: true });
    removed++;
  }
  return removed;
}

function isStaleTemp(file: string): boolean {
  const parts = path.basename(file).split(".");
  const pid = Number(parts[parts.length - 3]);
  if (Number.isInteger(pid) && pid > 0) return processIsGone(pid, os.hostname());
  return !isRecent(file, Date.now() - GC_GRACE_MS);
}

function listAllFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/**
 * A training marks its folder before taking the code snapshot and writing its row; killed in
 * between, it leaves a folder and a `refs/mlexp/runs/<id>` ref that no run owns. They are removed
 * once the process that made them is gone.
 */
async function removeAbandonedRuns(store: Store, withRow: Set<string>): Promise<string[]> {
  const runsDir = path.join(store.dir, "runs");
  const abandoned = listFolders(runsDir).filter((id) => RUN_ID_PATTERN.test(id) && !withRow.has(id) && isAbandoned(path.join(runsDir, id)));
  if (!abandoned.length) return [];
  const top = await repositoryTop(store.workspace);
  for (const id of abandoned) {
    if (top) await git(top, ["update-ref", "-d", runRef(id)]).catch(() => undefined);
    fs.rmSync(path.join(runsDir, id), { recursive: true, force: true });
  }
  return abandoned;
}

function isAbandoned(dir: string): boolean {
  if (fs.existsSync(path.join(dir, MANIFEST_FILE))) return false;
  const owner = readPendingMark(dir);
  return owner !== undefined && processIsGone(owner.pid, owner.host);
}

export interface RebuildResult {
  /** Runs in the rebuilt database. */
  runs: number;
  /** Runs the previous database held (null when there was none or it could not be read). */
  before: number | null;
  /** Why the previous database could not be read, when it could not. */
  unreadable?: string;
  fromManifests: number;
  /** Runs taken from the previous database: their run.json is missing, damaged or invalid. */
  fromPreviousDatabase: string[];
  /** Manifests (and rows of the previous database) that could not become a row, by folder. */
  skipped: { folder: string; reason: string }[];
  /** Runs of the previous database missing from the rebuilt one (never expected: said loudly). */
  lost: string[];
  /** A copy of the previous database file, if there was one. */
  keptAside?: string;
}

/**
 * Rebuilds the run database from the `run.json` manifest in each run's artifact folder, under the
 * database lock from start to end (concurrent writers wait). Runs whose manifest cannot be used are
 * taken from the previous database when it still holds them; nothing of it is lost silently.
 */
export async function rebuildDatabase(store: Store): Promise<RebuildResult> {
  const runsDir = path.join(store.dir, "runs");
  return store.db.replaceWhole((fresh, previous, unreadable) => {
    const keptAside = fs.existsSync(store.db.file) ? keepAside(store.db.file, store.db.journalFile, previous) : undefined;
    const old = previous ? readPreviousRuns(previous) : { runs: new Map<string, RunManifest>(), skipped: [] };
    const result: RebuildResult = {
      runs: 0,
      before: previous ? old.runs.size + old.skipped.length : null,
      ...(unreadable ? { unreadable } : {}),
      fromManifests: 0,
      fromPreviousDatabase: [],
      skipped: [...old.skipped],
      lost: [],
      ...(keptAside ? { keptAside } : {}),
    };
    for (const folder of listFolders(runsDir)) {
      const read = readValidManifest(path.join(runsDir, folder), folder);
      if (typeof read !== "string" && !isBehind(read, old.runs.get(folder))) {
        insertManifest(fresh, read);
        result.fromManifests++;
        old.runs.delete(folder);
      } else if (typeof read === "string" && read !== STARTING && !old.runs.has(folder)) {
        result.skipped.push({ folder, reason: read });
      }
    }
    for (const [runId, manifest] of old.runs) {
      try {
        insertManifest(fresh, manifest);
        result.fromPreviousDatabase.push(runId);
      } catch (error) {
        result.lost.push(runId);
        result.skipped.push({ folder: runId, reason: messageOf(error) });
      }
    }
    result.runs = result.fromManifests + result.fromPreviousDatabase.length;
    return result;
  });
}

/** A run whose training is starting now: it has no row yet, and will write one once the rebuild is done. */
const STARTING = "starting";

function isEmptyFolder(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

/** A manifest still saying `running` when the database already recorded how the run ended (killed between the two writes). */
function isBehind(manifest: RunManifest, row: RunManifest | undefined): boolean {
  return manifest.run.status === "running" && row !== undefined && row.run.status !== "running";
}

function insertManifest(db: Database, manifest: RunManifest): void {
  db.exec("SAVEPOINT run");
  try {
    runs.insertRun(db, manifest.run);
    runs.insertHistory(db, manifest.run.run_id, manifest.history);
    runs.insertTrials(db, manifest.run.run_id, manifest.trials);
    db.exec("RELEASE run");
  } catch (error) {
    db.exec("ROLLBACK TO run");
    db.exec("RELEASE run");
    throw error;
  }
}

/** The run's manifest, why it cannot become a row, or "starting" for a run whose process is writing it now. */
function readValidManifest(dir: string, folder: string): RunManifest | string {
  if (!RUN_ID_PATTERN.test(folder)) return "the folder's name is not a run id";
  if (!fs.existsSync(path.join(dir, MANIFEST_FILE))) {
    const mark = readPendingMark(dir);
    if (mark && !processIsGone(mark.pid, mark.host)) return STARTING;
    // A training makes its folder, then writes its mark in it: found in between, the folder is empty
    // and holds nothing to lose (seen when a rebuild ran beside trainings under load).
    if (!mark && isEmptyFolder(dir)) return STARTING;
    return mark ? `it has no ${MANIFEST_FILE}: its training was stopped before it began (\`mlexp gc\` removes it)` : `it has no ${MANIFEST_FILE}`;
  }
  let value: unknown;
  try {
    value = readManifest(dir);
  } catch (error) {
    return `its ${MANIFEST_FILE} cannot be read (${shorten(messageOf(error), 120)})`;
  }
  const problem = manifestProblem(value, folder);
  return problem ? `its ${MANIFEST_FILE} is not valid: ${problem}` : (value as RunManifest);
}

/** Every valid row of the previous database with its history and trials, by run id. */
function readPreviousRuns(db: Database): { runs: Map<string, RunManifest>; skipped: { folder: string; reason: string }[] } {
  const result = { runs: new Map<string, RunManifest>(), skipped: [] as { folder: string; reason: string }[] };
  const ids = (db.exec("SELECT run_id FROM model_runs")[0]?.values ?? []).map(([id]) => String(id));
  for (const id of ids) {
    try {
      const run = runs.getRun(db, id) as ModelRun;
      const problem = runProblem(run as unknown as Record<string, unknown>);
      if (problem) throw new Error(problem);
      result.runs.set(id, { run, history: runs.getHistory(db, id), trials: runs.getTrials(db, id) });
    } catch (error) {
      result.skipped.push({ folder: shorten(id), reason: `its row in the previous database is not valid: ${messageOf(error)}` });
    }
  }
  return result;
}

function listFolders(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/**
 * Keeps the previous database aside: as it was read (file with its journal applied) when it could
 * be read, else the file and its journal as they are on disk.
 */
function keepAside(file: string, journal: string, previous: Database | undefined): string {
  const aside = `${file}.before-rebuild-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  if (previous) {
    replaceAtomically(aside, previous.export());
    return aside;
  }
  fs.copyFileSync(file, aside);
  if (fs.existsSync(journal)) fs.copyFileSync(journal, `${aside}.journal`);
  return aside;
}
