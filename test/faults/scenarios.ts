import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ENTRY_HEADER } from "../../src/core/objects/packFormat";
import type { ModelRun } from "../../src/core/store/runRecord";
import type { DatabaseFault, StoreBackend } from "./backends";
import { processAlive, sleep, waitUntil, Workspace, type CliResult } from "./harness";

/** What one scenario did: faults injected, and what the checks after them found. */
export interface Outcome {
  tried: number;
  /** Faults after which every check passed. */
  survived: number;
  /** Successful trainings missing or not reproducible afterwards. */
  lost: string[];
  problems: string[];
  skipped?: string;
}

export interface ScenarioContext {
  backend: StoreBackend;
  random: () => number;
  /** A new workspace (a git repository) with the backend's store attached. */
  workspace(name: string, parent?: string): Promise<Workspace>;
}

export interface Scenario {
  name: string;
  run(context: ScenarioContext, rounds: number): Promise<Outcome>;
}

/** Small, quick trainings: the suite is about what happens around them. */
function trainingArgs(random: () => number, rows = 3000): string[] {
  const epochs = 5 + Math.floor(random() * 40);
  const dataSeed = Math.floor(random() * 4);
  return ["--model", "LogisticRegression", "--model-params", JSON.stringify({ epochs }), "--dataset", "Synthetic", "--dataset-params", JSON.stringify({ rows, seed: dataSeed })];
}

const between = (random: () => number, low: number, high: number) => Math.floor(low + random() * (high - low));

/**
 * The checks after a fault: the store passes its integrity check, every training that exited 0
 * is present, finished and reproduces, nothing is left `running`, no process is left, and no
 * temporary file or lock survives a `gc`.
 */
export async function check(ws: Workspace): Promise<{ problems: string[]; lost: string[] }> {
  const problems: string[] = [];
  const lost: string[] = [];
  await waitUntil(() => ws.pids.every((pid) => !processAlive(pid)), 10_000);
  const alive = ws.pids.filter(processAlive);
  if (alive.length) problems.push(`processes still running: ${alive.join(", ")}`);
  problems.push(...(await ws.store.integrity()));
  let runs: ModelRun[] = [];
  try {
    runs = await ws.json<ModelRun[]>(["runs"]);
  } catch (error) {
    problems.push(`runs: ${(error as Error).message}`);
  }
  const byId = new Map(runs.map((run) => [run.run_id, run]));
  for (const run of runs) if (run.status === "running") problems.push(`run ${run.run_id} is still "running"`);
  for (const id of ws.successful) {
    const run = byId.get(id);
    if (!run || run.status !== "finished") {
      lost.push(id);
      problems.push(`run ${id} ${run ? `is ${run.status}` : "is missing"}`);
      continue;
    }
    const reproduction = await ws.run(["reproduce", id]);
    if (reproduction.code !== 0) {
      lost.push(id);
      problems.push(`run ${id} does not reproduce: ${lastLine(reproduction)}`);
    }
  }
  const gc = await ws.run(["gc"]);
  if (gc.code !== 0) problems.push(`gc failed: ${lastLine(gc)}`);
  const temp = ws.tempFiles();
  if (temp.length) problems.push(`temporary files left after gc: ${temp.map((f) => path.relative(ws.dir, f)).join(", ")}`);
  const locks = ws.lockFolders();
  if (locks.length) problems.push(`locks left: ${locks.map((f) => path.relative(ws.dir, f)).join(", ")}`);
  return { problems, lost };
}

function lastLine(result: CliResult): string {
  return (result.stderr.trim().split("\n").pop() ?? "") || `exit ${result.code}`;
}

/** Runs `rounds` faults, checking after each; the outcome adds them up. */
async function eachRound(rounds: number, fault: (round: number) => Promise<Workspace>): Promise<Outcome> {
  const outcome: Outcome = { tried: 0, survived: 0, lost: [], problems: [] };
  for (let round = 0; round < rounds; round++) {
    const ws = await fault(round);
    outcome.tried++;
    const found = await check(ws);
    if (!found.problems.length) outcome.survived++;
    outcome.lost.push(...found.lost);
    outcome.problems.push(...found.problems.map((p) => `round ${round + 1}: ${p}`));
  }
  return outcome;
}

/** SIGKILL at a random moment of a training (while loading, storing, training or recording). */
const killTraining: Scenario = {
  name: "kill a training at a random moment",
  run: (context, rounds) =>
    eachRound(rounds, async (round) => {
      const ws = await context.workspace(`kill-training-${round}`);
      await ws.train(trainingArgs(context.random));
      const victim = ws.start(["train", "--json", ...trainingArgs(context.random, 20_000)]);
      await sleep(between(context.random, 200, 4000));
      victim.child.kill("SIGKILL");
      ws.record(await victim.done);
      await ws.train(trainingArgs(context.random));
      return ws;
    }),
};

/** SIGKILL while the dataset's chunks are being written: once its temporary pack file shows. */
const killStoring: Scenario = {
  name: "kill a training while it stores its dataset",
  run: (context, rounds) =>
    eachRound(rounds, async (round) => {
      const ws = await context.workspace(`kill-storing-${round}`);
      await ws.train(trainingArgs(context.random));
      const victim = ws.start(["train", "--json", ...trainingArgs(context.random, 60_000)]);
      await waitUntil(() => ws.tempFiles().some((file) => file.includes(`${path.sep}packs${path.sep}`)), 20_000);
      await sleep(between(context.random, 0, 60));
      victim.child.kill("SIGKILL");
      ws.record(await victim.done);
      return ws;
    }),
};

/** SIGKILL at a random moment of `gc --now`, while a training runs beside it. */
const killGc: Scenario = {
  name: "kill gc --now at a random moment, beside a training",
  run: (context, rounds) =>
    eachRound(rounds, async (round) => {
      const ws = await context.workspace(`kill-gc-${round}`);
      for (let i = 0; i < 3; i++) await ws.train(trainingArgs(context.random));
      const doomed = await ws.train(trainingArgs(context.random, 8000));
      if (doomed.code === 0) {
        const id = (JSON.parse(doomed.stdout) as ModelRun).run_id;
        ws.successful.delete(id);
        await ws.run(["delete", id]);
      }
      const training = ws.start(["train", "--json", ...trainingArgs(context.random, 20_000)]);
      const gc = ws.start(["gc", "--now"]);
      await sleep(between(context.random, 0, 700));
      gc.child.kill("SIGKILL");
      await gc.done;
      ws.record(await training.done);
      return ws;
    }),
};

/** Trainings, deletes, gc and a rebuild at once, with a `runs` loop reading throughout. */
const storm: Scenario = {
  name: "storm: trainings, deletes, gc, rebuild and runs at once",
  run: async (context, rounds) => {
    const ws = await context.workspace("storm");
    const first = [await ws.train(trainingArgs(context.random)), await ws.train(trainingArgs(context.random))];
    const deletable = first.filter((r) => r.code === 0).map((r) => (JSON.parse(r.stdout) as ModelRun).run_id);
    for (const id of deletable) ws.successful.delete(id);
    let reading = true;
    const reader = (async () => {
      while (reading) await ws.run(["runs", "--json"]);
    })();
    const jobs: Promise<unknown>[] = [];
    const trainings = 4 + rounds * 2;
    for (let i = 0; i < trainings; i++) jobs.push(ws.train(trainingArgs(context.random)));
    for (const id of deletable) jobs.push(sleep(between(context.random, 0, 2000)).then(() => ws.run(["delete", id])));
    jobs.push(sleep(between(context.random, 0, 3000)).then(() => ws.run(["gc", "--now"])));
    jobs.push(sleep(between(context.random, 0, 3000)).then(() => ws.run(["gc", "--now"])));
    jobs.push(sleep(between(context.random, 0, 3000)).then(() => ws.run(["db", "rebuild"])));
    await Promise.all(jobs);
    reading = false;
    await reader;
    const found = await check(ws);
    const tried = trainings + deletable.length + 3;
    const problems = [...found.problems];
    if (ws.successful.size !== trainings) problems.push(`${trainings - ws.successful.size} of ${trainings} storm trainings did not exit 0`);
    return { tried, survived: problems.length ? 0 : tried, lost: found.lost, problems };
  },
};

/** The database truncated, overwritten with random bytes, or deleted; then `db rebuild`. */
const FAULT_WORDS: Record<DatabaseFault, string> = { truncate: "truncate", random: "overwrite with random bytes", delete: "delete" };

function databaseFault(fault: DatabaseFault): Scenario {
  return {
    name: `${FAULT_WORDS[fault]}: the run database, then db rebuild`,
    run: async (context) => {
      const ws = await context.workspace(`database-${fault}`);
      for (let i = 0; i < 3; i++) await ws.train(trainingArgs(context.random));
      const inject = ws.store.faults[fault];
      if (!inject) return { tried: 0, survived: 0, lost: [], problems: [], skipped: `the ${context.backend.name} has no database file to ${FAULT_WORDS[fault]}` };
      inject(context.random);
      const refused = await ws.run(["runs"]);
      const problems: string[] = [];
      if (fault !== "delete" && (refused.code !== 1 || !/db rebuild/.test(refused.stderr))) problems.push(`a damaged database was not refused clearly: ${lastLine(refused)}`);
      const rebuilt = await ws.run(["db", "rebuild"]);
      if (rebuilt.code !== 0) problems.push(`db rebuild failed: ${lastLine(rebuilt)}`);
      const found = await check(ws);
      problems.push(...found.problems);
      return { tried: 1, survived: problems.length ? 0 : 1, lost: found.lost, problems };
    },
  };
}

/** A run.json cut short; `db rebuild` must keep the run from the database. */
const damagedManifest: Scenario = {
  name: "damage a run.json, then db rebuild",
  run: async (context) => {
    if (context.backend.kind !== "workspace") {
      return { tried: 0, survived: 0, lost: [], problems: [], skipped: "db rebuild rebuilds a workspace database from run.json; a team store keeps its runs on its server" };
    }
    const ws = await context.workspace("damaged-manifest");
    for (let i = 0; i < 2; i++) await ws.train(trainingArgs(context.random));
    const [victim] = [...ws.successful];
    const file = path.join(ws.dir, ".mlexp", "runs", victim, "run.json");
    fs.truncateSync(file, between(context.random, 1, fs.statSync(file).size - 1));
    const rebuilt = await ws.run(["db", "rebuild"]);
    const problems = rebuilt.code === 0 ? [] : [`db rebuild failed: ${lastLine(rebuilt)}`];
    const found = await check(ws);
    problems.push(...found.problems);
    return { tried: 1, survived: problems.length ? 0 : 1, lost: found.lost, problems };
  },
};

/** One byte of a stored chunk flipped; the next training on the same data must repair it. */
const flippedChunk: Scenario = {
  name: "flip a byte of a stored chunk, then train on the same data",
  run: async (context) => {
    const ws = await context.workspace("flipped-chunk");
    const args = trainingArgs(context.random, 10_000);
    await ws.train(args);
    // A random bit of a random chunk's entry in its pack (its header or its compressed bytes).
    const entries = ws.chunkEntries().sort((a, b) => (a.hash < b.hash ? -1 : 1));
    const entry = entries[Math.floor(context.random() * entries.length)];
    const fd = fs.openSync(entry.pack, "r+");
    try {
      const position = entry.offset + Math.floor(context.random() * (ENTRY_HEADER + entry.length));
      const byte = Buffer.alloc(1);
      fs.readSync(fd, byte, 0, 1, position);
      byte[0] ^= 1 << Math.floor(context.random() * 8);
      fs.writeSync(fd, byte, 0, 1, position);
    } finally {
      fs.closeSync(fd);
    }
    await ws.train(args);
    const found = await check(ws);
    return { tried: 1, survived: found.problems.length ? 0 : 1, lost: found.lost, problems: found.problems };
  },
};

/**
 * A full disk: the workspace on a small tmpfs (mounting needs root). The training that does not
 * fit must fail saying which folder is full, be recorded `failed` with that error, and leave no
 * temporary file after gc; what was trained before must stay.
 */
const fullDisk: Scenario = {
  name: "full disk (a small tmpfs)",
  run: async (context) => {
    if (process.platform !== "linux" || process.getuid?.() !== 0) {
      return { tried: 0, survived: 0, lost: [], problems: [], skipped: "full disk needs root to mount a tmpfs (CI runs as root): skipped" };
    }
    const mount = fs.mkdtempSync(path.join(fs.realpathSync("/tmp"), "mlexp-faults-disk-"));
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=6m", "tmpfs", mount], { stdio: "pipe" });
    } catch (error) {
      fs.rmSync(mount, { recursive: true, force: true });
      return { tried: 0, survived: 0, lost: [], problems: [], skipped: `could not mount a tmpfs (${(error as Error).message.split("\n")[0]}): skipped` };
    }
    try {
      const ws = await context.workspace("disk", mount);
      await ws.train(trainingArgs(context.random, 2000));
      const tooBig = await ws.train(["--model", "LogisticRegression", "--model-params", '{"epochs": 2}', "--dataset", "Synthetic", "--dataset-params", '{"rows": 150000, "features": 20}']);
      const problems: string[] = [];
      if (tooBig.code !== 1 || !/The disk holding .* is full: storing the dataset needed up to [\d.]+ MiB more/.test(tooBig.stderr)) problems.push(`a full disk was not reported clearly: ${lastLine(tooBig)}`);
      const runs = await ws.json<ModelRun[]>(["runs"]).catch(() => [] as ModelRun[]);
      const failed = runs.find((run) => !ws.successful.has(run.run_id));
      if (!failed || failed.status !== "failed" || !/is full/.test(failed.error ?? "")) {
        problems.push(`the run that did not fit is ${failed ? `${failed.status} (${failed.error})` : "missing"}, not failed with the disk error`);
      }
      const found = await check(ws);
      problems.push(...found.problems);
      return { tried: 1, survived: problems.length ? 0 : 1, lost: found.lost, problems };
    } finally {
      execFileSync("umount", [mount]);
      fs.rmSync(mount, { recursive: true, force: true });
    }
  },
};

export const SCENARIOS: Scenario[] = [
  killTraining,
  killStoring,
  killGc,
  storm,
  databaseFault("truncate"),
  databaseFault("random"),
  databaseFault("delete"),
  damagedManifest,
  flippedChunk,
  fullDisk,
];
