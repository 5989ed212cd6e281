/**
 * `npm run bench -- distributed`: what a queue costs a search. A trial's round trip through BullMQ
 * and a real `mlexp worker` with a model that does nothing (median, and the part spent outside the
 * worker's trial process), then a 60-trial grid with 1 and with 2 workers beside the same grid in
 * one process, with the speed-up and trials per second. Starts its own redis-server.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Queue, QueueEvents } from "bullmq";
import { coordinatorKey, PROTOCOL_VERSION, TRIAL_QUEUE, trialJobId, type TrialJobData, type TrialJobResult } from "../../src/protocol/queue";
import type { ModelRun, SearchTrial } from "../../src/core/store/runRecord";
import { PROBE_CONFIG } from "../helpers/probeModel";
import { RedisServer } from "../helpers/redis";
import { CLI, median, printTable, timeProcess } from "./timing";

const ROUND_TRIPS = 30;

export async function benchDistributed(): Promise<void> {
  // AOF with Redis's default fsync once a second (tests fsync every write, to survive kill -9).
  const redis = await RedisServer.start({ fsync: "everysec" });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-dist-"));
  const workers: ChildProcess[] = [];
  try {
    const repo = repository(scratch);
    await benchRoundTrip(redis, repo, scratch, workers);
    await stopAll(workers);
    await benchGrid(redis, repo, scratch, workers);
  } finally {
    await stopAll(workers);
    await redis.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function repository(scratch: string): string {
  const repo = path.join(scratch, "repo");
  const remote = path.join(scratch, "remote.git");
  fs.mkdirSync(repo);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, env: { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" } });
  git("init", "-q", "-b", "main");
  fs.writeFileSync(path.join(repo, "mlexp.config.ts"), PROBE_CONFIG);
  git("add", "-A");
  git("commit", "-q", "-m", "bench");
  execFileSync("git", ["init", "-q", "--bare", remote]);
  git("remote", "add", "origin", remote);
  return repo;
}

/** Every worker starts with an empty cache of its own: each measurement pays for fetching code and data. */
async function startWorkers(count: number, queue: string, store: string, scratch: string, into: ChildProcess[]): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, () => {
      const cacheDir = fs.mkdtempSync(path.join(scratch, "cache-"));
      const child = spawn(process.execPath, [CLI, "worker", "--queue", queue, "--store", store, "--cache-dir", cacheDir], { stdio: ["ignore", "pipe", "inherit"] });
      into.push(child);
      return new Promise<void>((resolve, reject) => {
        child.stdout?.on("data", (chunk: Buffer) => chunk.toString().includes("takes trials from") && resolve());
        child.on("exit", (code) => reject(new Error(`mlexp worker exited with ${code}`)));
      });
    }),
  );
}

async function stopAll(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.splice(0).map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.on("exit", () => resolve());
          child.kill("SIGINT");
        }),
    ),
  );
}

/** One trial at a time through the queue and a worker: the run's own data, code and store. */
async function benchRoundTrip(redis: RedisServer, repo: string, scratch: string, workers: ChildProcess[]): Promise<void> {
  await startWorkers(1, redis.url, repo, scratch, workers);
  // A real distributed search first: it pushes the code, stores the data and warms the worker's caches.
  const { stdout } = timeProcess(process.execPath, [CLI, "train", "--model", "Probe", "--model-params", '{"value": [1, 2]}', "--dataset", "Synthetic", "--queue", redis.url, "--json"], repo);
  const run = JSON.parse(stdout) as ModelRun;
  const base: Omit<TrialJobData, "trial"> = {
    protocol: PROTOCOL_VERSION,
    runId: run.run_id,
    trials: ROUND_TRIPS,
    params: { value: 1 },
    request: { model: "Probe", modelParams: { value: [1, 2] }, featureGenerator: "Identity", featureGeneratorParams: {}, dataset: "Synthetic", datasetParams: run.dataset_params, seed: run.seed, metric: run.metric, search: run.search, testFraction: run.test_fraction },
    code: { remote: path.join(scratch, "remote.git"), ref: `refs/mlexp/runs/${run.run_id}`, commit: run.githash as string, workspacePath: "" },
    storeId: fs.readFileSync(path.join(repo, ".mlexp", "store-id"), "utf8").trim(),
    datasetHash: run.dataset_hash as string,
  };
  const connection = { host: "127.0.0.1", port: redis.port, maxRetriesPerRequest: null };
  const queue = new Queue<TrialJobData, TrialJobResult>(TRIAL_QUEUE, { connection });
  const events = new QueueEvents(TRIAL_QUEUE, { connection });
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  // The run's coordinator has finished: stand in for one, or the worker drops these trials.
  redis.cli("SET", coordinatorKey(run.run_id), "bench", "EX", "600");
  const totals: number[] = [];
  const outside: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const id = trialJobId(run.run_id, 1000 + i);
    const done = new Promise<TrialJobResult>((resolve) => {
      const onCompleted = ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => {
        if (jobId !== id) return;
        events.off("completed", onCompleted);
        resolve((typeof returnvalue === "string" ? JSON.parse(returnvalue) : returnvalue) as TrialJobResult);
      };
      events.on("completed", onCompleted);
    });
    const start = performance.now();
    await queue.add("trial", { ...base, trial: 1000 + i }, { jobId: id });
    const result = await done;
    const ms = performance.now() - start;
    totals.push(ms);
    outside.push(ms - result.durationMs);
  }
  await Promise.all([events.close(), queue.close()]);
  printTable(`A trial's round trip through the queue, ${ROUND_TRIPS} one after another (model that does nothing, 3 folds; ${loadAverage()})`, ["", "median ms"], [
    ["queue → worker → trial process → queue → coordinator", median(totals)],
    ["of which outside the worker's trial (BullMQ, Redis, IPC)", median(outside)],
  ]);
}

const GRID = [
  "train", "--model", "LogisticRegression", "--model-params", JSON.stringify({ learningRate: [0.01, 0.03, 0.1, 0.3, 1, 3], l2: [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10], epochs: 300 }),
  "--dataset", "Synthetic", "--dataset-params", '{"rows": 20000, "features": 12, "seed": 2}', "--cv", "3", "--json",
];
const GRID_TRIALS = 60;

interface GridTiming {
  /** The whole `mlexp train`, from process start to exit. */
  wallS: number;
  /** First trial started → last trial ended, from the trials' records (queue runs only). */
  searchS?: number;
  /** Mean time a worker spent in one trial. */
  trialS?: number;
  load: string;
}

/** "load 0.12 0.30 0.41": the load average, printed beside every figure (others may share the machine). */
function loadAverage(): string {
  return `load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`;
}

async function timeGrid(repo: string, extra: string[]): Promise<GridTiming> {
  const before = loadAverage();
  const { ms, stdout } = timeProcess(process.execPath, [CLI, ...GRID, ...extra], repo);
  const timing: GridTiming = { wallS: ms / 1000, load: `${before} → ${loadAverage().slice(5)}` };
  if (!extra.length) return timing;
  const run = JSON.parse(stdout) as ModelRun;
  const { stdout: shown } = timeProcess(process.execPath, [CLI, "show", run.run_id, "--json"], repo);
  const trials = (JSON.parse(shown) as { trials: SearchTrial[] }).trials;
  const starts = trials.map((t) => Date.parse(t.start_time as string));
  const ends = trials.map((t, i) => starts[i] + (t.duration_ms as number));
  timing.searchS = (Math.max(...ends) - Math.min(...starts)) / 1000;
  timing.trialS = trials.reduce((sum, t) => sum + (t.duration_ms as number), 0) / trials.length / 1000;
  return timing;
}

/**
 * 60 trials of a CPU-bound grid (each about 0.3–1 s of one core), in process and with 1 and 2
 * workers scoring one trial at a time each. The workers are started (and idle) before the clock
 * starts; their first trial includes starting the trial process and loading the code and data.
 * The queue runs go 1, 2, 2, 1 workers and are averaged, so a load that rises or falls during the
 * bench weighs the same on both.
 */
async function benchGrid(redis: RedisServer, repo: string, scratch: string, workers: ChildProcess[]): Promise<void> {
  const inProcess = await timeGrid(repo, []);
  const byCount = new Map<number, GridTiming[]>([[1, []], [2, []]]);
  for (const count of [1, 2, 2, 1]) {
    await startWorkers(count, redis.url, repo, scratch, workers);
    byCount.get(count)?.push(await timeGrid(repo, ["--queue", redis.url]));
    await stopAll(workers);
  }
  const mean = (timings: GridTiming[], pick: (t: GridTiming) => number) => timings.reduce((sum, t) => sum + pick(t), 0) / timings.length;
  const rows: (string | number)[][] = [["in process", inProcess.wallS, "", "", GRID_TRIALS / inProcess.wallS, inProcess.load]];
  for (const [count, timings] of byCount) {
    for (const t of timings) rows.push([`${count} worker${count > 1 ? "s" : ""} (queue)`, t.wallS, t.searchS ?? "", t.trialS ?? "", GRID_TRIALS / t.wallS, t.load]);
  }
  printTable(
    `A ${GRID_TRIALS}-trial grid (LogisticRegression, 20,000 rows × 12, 3 folds, 300 epochs): whole \`mlexp train\` wall time; search = first trial start → last trial end`,
    ["", "wall s", "search s", "s/trial", "trials/s", "load average before → after"],
    rows,
  );
  const [one, two] = [byCount.get(1) ?? [], byCount.get(2) ?? []];
  const wallRatio = mean(one, (t) => t.wallS) / mean(two, (t) => t.wallS);
  const searchRatio = mean(one, (t) => t.searchS ?? 0) / mean(two, (t) => t.searchS ?? 0);
  const cores = os.cpus().length;
  console.log(`speed-up of 2 workers over 1: ${wallRatio.toFixed(2)}× whole train, ${searchRatio.toFixed(2)}× search phase (goal ≥ 1.7×; ${cores} cores; 1 worker vs in process: ${(inProcess.wallS / mean(one, (t) => t.wallS)).toFixed(2)}×)`);
  const busy = os.loadavg()[0];
  if (busy > 0.5) console.log(`note: the load average was ${busy.toFixed(1)} at the end on ${cores} cores: with other work running the workers do not get two free cores, and the ratio shows the CPU share they got rather than the parallelism; run \`npm run bench -- distributed\` on an idle machine for the real figure.`);
}
