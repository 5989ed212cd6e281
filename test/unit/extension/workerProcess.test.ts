import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ConcurrencyLimiter } from "../../../src/extension/training/limiter";
import { JobError, JobProcess, workerLauncher } from "../../../src/extension/training/trainingProcess";
import { TrainingService } from "../../../src/extension/training/trainingService";
import { RunRepository } from "../../../src/extension/runs/runRepository";
import type { DescribeJob, Job, ProgressMessage, TrainJob } from "../../../src/protocol/training";
import { initRepo } from "../../helpers/gitRepo";
import { tempDir } from "../../helpers/tempDir";

// The real training process (dist/worker.js, built by the global setup) driven through the
// extension's own JobProcess and TrainingService, on a copy of the quickstart example.

const WORKER = path.resolve(__dirname, "../../../dist/worker.js");
const QUICKSTART = path.resolve(__dirname, "../../../examples/quickstart");

function quickstartWorkspace(): string {
  const dir = tempDir("mlexp-ext-worker-");
  fs.cpSync(QUICKSTART, dir, { recursive: true, filter: (src) => !src.includes(".mlexp") });
  initRepo(dir);
  return dir;
}

function run<J extends Job>(job: J, progress: ProgressMessage[] = []) {
  const output: string[] = [];
  const process = new JobProcess(job, workerLauncher({ workerPath: WORKER, cwd: job.workspace }), {
    cancelTimeoutMs: 30_000,
    onProgress: (event) => progress.push(event),
    onOutput: (text) => output.push(text),
  });
  return { process, output };
}

/** A long training: an MLP with far too many epochs, stopped by the test. */
const LONG_TRAINING = { model: "MLPClassifierTfjs", modelParams: { epochs: 100_000 }, dataset: "Synthetic", datasetParams: { rows: 400, features: 4 } };

describe("the training process", () => {
  it("describes the built-ins and the workspace's own components, or the built-ins only", async () => {
    const workspace = quickstartWorkspace();
    const all = await run<DescribeJob>({ kind: "describe", workspace, loadUserCode: true }).process.result;
    const names = all.components.map((c) => `${c.kind}:${c.name}:${c.builtin ? "builtin" : "user"}`);
    expect(names).toEqual(expect.arrayContaining(["model:ModelImpl1:user", "model:LogisticRegression:builtin", "featureGenerator:FeatureGeneratorImpl1:user", "dataAccessObject:CsvFile:builtin"]));
    expect(all.configPath).toBe(path.join(workspace, "mlexp.config.ts"));
    const builtins = await run<DescribeJob>({ kind: "describe", workspace, loadUserCode: false }).process.result;
    expect(builtins.components.every((c) => c.builtin)).toBe(true);
    expect(builtins.configPath).toBeUndefined();
  });

  it("says so when the mlexp.nodePath setting points at no executable", async () => {
    const workspace = tempDir();
    const job: DescribeJob = { kind: "describe", workspace, loadUserCode: false };
    const process = new JobProcess(job, workerLauncher({ workerPath: WORKER, cwd: workspace, nodePath: path.join(workspace, "no-such-node") }), { cancelTimeoutMs: 1000 });
    await expect(process.result).rejects.toThrow(/^Could not start the training process: spawn .*no-such-node ENOENT/);
  });

  it("runs with a system node given by mlexp.nodePath", async () => {
    const workspace = tempDir();
    const job: DescribeJob = { kind: "describe", workspace, loadUserCode: false };
    const result = await new JobProcess(job, workerLauncher({ workerPath: WORKER, cwd: workspace, nodePath: process.execPath }), { cancelTimeoutMs: 1000 }).result;
    expect(result.components.length).toBeGreaterThan(10);
  });

  it("reports a broken config as the library's error", async () => {
    const workspace = quickstartWorkspace();
    fs.appendFileSync(path.join(workspace, "mlexp.config.ts"), "\nthis is not TypeScript\n");
    const error = await run<DescribeJob>({ kind: "describe", workspace, loadUserCode: true }).process.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobError);
    expect(error).toMatchObject({ code: "invalid_config", message: expect.stringContaining("Could not load mlexp.config.ts") });
  });

  it("trains a user model, reports progress with the run id, and the run is in the store", async () => {
    const workspace = quickstartWorkspace();
    const progress: ProgressMessage[] = [];
    const job: TrainJob = { kind: "train", workspace, request: { model: "ModelImpl1", featureGenerator: "FeatureGeneratorImpl1", dataset: "DataAccessObjectImpl1" } };
    const result = await run(job, progress).process.result;
    expect(result.run).toMatchObject({ status: "finished", model_class: "ModelImpl1" });
    expect(result.run.metrics.accuracy).toBeGreaterThan(0.5);
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(["load", "fit", "evaluate", "save"]));
    expect(progress.every((p) => p.runId === result.run.run_id)).toBe(true);
    const stored = await new RunRepository(workspace).get(result.run.run_id);
    expect(stored.status).toBe("finished");
  });

  it("rejects an invalid parameter before anything is recorded", async () => {
    const workspace = quickstartWorkspace();
    const job: TrainJob = { kind: "train", workspace, request: { model: "ModelImpl1", modelParams: { shrinkage: 5 }, dataset: "DataAccessObjectImpl1" } };
    const error = await run(job).process.result.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "invalid_params", message: 'Invalid parameters for model "ModelImpl1": parameter "shrinkage" must be at most 1, got 5.' });
    expect(await new RunRepository(workspace).list()).toEqual([]);
  });

  it("cancels a long training: the worker records the run as cancelled", async () => {
    const workspace = quickstartWorkspace();
    const progress: ProgressMessage[] = [];
    const { process } = run({ kind: "train", workspace, request: LONG_TRAINING } satisfies TrainJob, progress);
    await expect.poll(() => progress.some((p) => p.epoch !== undefined), { timeout: 60_000, interval: 50 }).toBe(true);
    process.cancel();
    const error = (await process.result.catch((e: unknown) => e)) as JobError;
    expect(error.cancelled).toBe(true);
    expect(process.wasKilled).toBe(false);
    const runId = progress.find((p) => p.runId)?.runId as string;
    expect(await new RunRepository(workspace).get(runId)).toMatchObject({ status: "cancelled", error: "Training was cancelled." });
  });

  it("kills a training that does not stop in time and marks its run cancelled", async () => {
    const workspace = quickstartWorkspace();
    const repository = new RunRepository(workspace);
    const service = new TrainingService({
      limiter: new ConcurrencyLimiter(1),
      launcher: (job) => workerLauncher({ workerPath: WORKER, cwd: job.workspace }),
      cancelTimeoutMs: () => 1, // no time at all to stop: the process is killed
      markKilledRunCancelled: (pid, runId) => repository.markKilledRunCancelled(pid, runId),
    });
    const handle = service.start({ kind: "train", workspace, request: LONG_TRAINING }, "long");
    await expect.poll(() => handle.info.lastProgress?.epoch, { timeout: 60_000, interval: 50 }).toBeDefined();
    handle.cancel();
    await expect(handle.result).rejects.toMatchObject({ code: "cancelled" });
    const stored = await repository.get(handle.info.runId as string);
    expect(stored).toMatchObject({ status: "cancelled", error: expect.stringContaining("killed") });
  });
});
