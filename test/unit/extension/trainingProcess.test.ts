import { afterEach, describe, expect, it, vi } from "vitest";
import { JobError, JobProcess } from "../../../src/extension/training/trainingProcess";
import type { DescribeJob, ProgressMessage, TrainJob } from "../../../src/protocol/training";
import { FakeWorker } from "./fakeWorker";
import { makeRun } from "../../helpers/runs";

const TRAIN: TrainJob = { kind: "train", workspace: "/w", request: { model: "ModelImpl1", dataset: "CsvFile" } };

function start(job: TrainJob | DescribeJob = TRAIN, cancelTimeoutMs = 1000) {
  const worker = new FakeWorker();
  const progress: ProgressMessage[] = [];
  const logs: string[] = [];
  const output: string[] = [];
  const process = new JobProcess(job, () => worker, {
    cancelTimeoutMs,
    onProgress: (event) => progress.push(event),
    onLog: (level, line) => logs.push(`${level}:${line}`),
    onOutput: (text) => output.push(text),
  });
  return { worker, process, progress, logs, output };
}

afterEach(() => vi.useRealTimers());

describe("JobProcess", () => {
  it("sends the job first and resolves with the worker's result", async () => {
    const { worker, process, progress, logs } = start();
    expect(worker.sent).toEqual([{ type: "start", job: TRAIN }]);
    worker.reply({ type: "progress", progress: { phase: "fit", message: "Epoch 1", epoch: 1, runId: "r1" } });
    worker.reply({ type: "log", level: "warning", line: "warning: slow" });
    const run = makeRun();
    worker.reply({ type: "result", result: { kind: "train", run } });
    worker.exit(0);
    await expect(process.result).resolves.toEqual({ kind: "train", run });
    expect(progress).toEqual([{ phase: "fit", message: "Epoch 1", epoch: 1, runId: "r1" }]);
    expect(logs).toEqual(["warning:warning: slow"]);
  });

  it("rejects with the worker's error message and code", async () => {
    const { worker, process } = start();
    worker.reply({ type: "error", error: { message: 'Unknown model "Nope".', code: "unknown_component" } });
    worker.exit(0);
    const error = await process.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobError);
    expect(error).toMatchObject({ message: 'Unknown model "Nope".', code: "unknown_component", cancelled: false });
  });

  it("keeps the stack of unexpected errors for the log", async () => {
    const { worker, process } = start();
    worker.reply({ type: "error", error: { message: "boom", code: "internal", stack: "Error: boom\n    at x" } });
    worker.exit(0);
    await expect(process.result).rejects.toMatchObject({ code: "internal", detail: "Error: boom\n    at x" });
  });

  it("reports a process that dies without an answer as a crash", async () => {
    const { worker, process } = start();
    worker.exit(null, "SIGSEGV");
    await expect(process.result).rejects.toMatchObject({ code: "internal", message: expect.stringContaining("killed by SIGSEGV") });
  });

  it("reports an exit code when the process exits without an answer", async () => {
    const { worker, process } = start();
    worker.exit(3);
    await expect(process.result).rejects.toThrow(/exited with code 3/);
  });

  it("ignores a result of the wrong kind and malformed messages, logging the latter", async () => {
    const { worker, process, logs } = start();
    worker.reply({ type: "nonsense" });
    worker.reply({ type: "result", result: { kind: "describe", components: [] } });
    worker.exit(0);
    await expect(process.result).rejects.toThrow(/exited with code 0/);
    expect(logs[0]).toMatch(/^warning:Ignored a malformed message/);
  });

  it("forwards stdout and stderr of the process", async () => {
    const { worker, process, output } = start();
    worker.stdout.write("hello from user code\n");
    worker.stderr.write("a warning\n");
    worker.reply({ type: "result", result: { kind: "train", run: makeRun() } });
    worker.exit(0);
    await process.result;
    expect(output.join("")).toContain("hello from user code");
    expect(output.join("")).toContain("a warning");
  });

  it("cancels politely: the worker records the cancellation and the job rejects as cancelled", async () => {
    const { worker, process } = start();
    worker.onCancel = () => {
      worker.reply({ type: "error", error: { message: "Training was cancelled.", code: "cancelled" } });
      worker.exit(0);
    };
    process.cancel();
    expect(worker.sent.at(-1)).toEqual({ type: "cancel" });
    const error = (await process.result.catch((e: unknown) => e)) as JobError;
    expect(error.cancelled).toBe(true);
    expect(process.wasKilled).toBe(false);
    expect(worker.killedWith).toBeUndefined();
  });

  it("kills a process that does not stop within the timeout", async () => {
    vi.useFakeTimers();
    const { worker, process } = start(TRAIN, 5000);
    process.cancel();
    process.cancel(); // a second click changes nothing
    expect(worker.sent.filter((m) => m.type === "cancel")).toHaveLength(1);
    vi.advanceTimersByTime(4999);
    expect(worker.killedWith).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(worker.killedWith).toBe("SIGKILL");
    await expect(process.result).rejects.toMatchObject({ code: "cancelled" });
    expect(process.wasKilled).toBe(true);
  });

  it("does nothing on cancel after the process has ended", async () => {
    const { worker, process } = start();
    worker.reply({ type: "result", result: { kind: "train", run: makeRun() } });
    worker.exit(0);
    await process.result;
    process.cancel();
    expect(worker.sent).toHaveLength(1);
  });

  it("rejects when the process cannot be started", async () => {
    const { worker, process } = start();
    worker.emit("error", new Error("spawn /nope ENOENT"));
    await expect(process.result).rejects.toThrow("Could not start the training process: spawn /nope ENOENT");
  });
});
