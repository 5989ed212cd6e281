import { describe, expect, it, vi } from "vitest";
import { ConcurrencyLimiter } from "../../../src/extension/training/limiter";
import { TrainingService, type TrainingInfo } from "../../../src/extension/training/trainingService";
import type { TrainJob } from "../../../src/protocol/training";
import { FakeWorker } from "./fakeWorker";
import { makeRun } from "../../helpers/runs";

const JOB: TrainJob = { kind: "train", workspace: "/w", request: { model: "ModelImpl1", dataset: "CsvFile" } };
const flush = () => new Promise((resolve) => setImmediate(resolve));

function setup(limit = 1, cancelTimeoutMs = 1000) {
  const workers: FakeWorker[] = [];
  const markKilledRunCancelled = vi.fn(async () => undefined);
  const service = new TrainingService({
    limiter: new ConcurrencyLimiter(limit),
    launcher: () => () => {
      const worker = new FakeWorker(1000 + workers.length);
      workers.push(worker);
      return worker;
    },
    cancelTimeoutMs: () => cancelTimeoutMs,
    markKilledRunCancelled,
  });
  const events: Array<TrainingInfo | undefined> = [];
  service.onDidChange((info) => events.push(info && { ...info }));
  return { service, workers, markKilledRunCancelled, events };
}

function finish(worker: FakeWorker, runId: string) {
  worker.reply({ type: "result", result: { kind: "train", run: makeRun({ run_id: runId }) } });
  worker.exit(0);
}

describe("TrainingService", () => {
  it("runs up to the limit and queues the rest, starting them as slots free up", async () => {
    const { service, workers } = setup(1);
    const first = service.start(JOB, "first");
    const second = service.start(JOB, "second");
    await flush();
    expect(workers).toHaveLength(1);
    expect(service.list().map((t) => [t.title, t.state])).toEqual([
      ["first", "running"],
      ["second", "queued"],
    ]);
    expect(service.runningCount).toBe(1);
    finish(workers[0], "r1");
    await expect(first.result).resolves.toMatchObject({ run: { run_id: "r1" } });
    await flush();
    expect(workers).toHaveLength(2);
    finish(workers[1], "r2");
    await expect(second.result).resolves.toMatchObject({ run: { run_id: "r2" } });
    expect(service.list()).toEqual([]);
  });

  it("learns the run id and latest progress of a training from its progress events", async () => {
    const { service, workers, events } = setup();
    const handle = service.start(JOB, "t");
    await flush();
    workers[0].reply({ type: "progress", progress: { phase: "fit", message: "Epoch 3", epoch: 3, runId: "r9" } });
    expect(service.trainingOfRun("r9")?.title).toBe("t");
    expect(service.progressOfRun("r9")).toMatchObject({ epoch: 3 });
    finish(workers[0], "r9");
    await handle.result;
    expect(events.at(-1)).toBeUndefined(); // the "ended" event
    expect(events.some((e) => e?.state === "queued")).toBe(true);
    expect(events.some((e) => e?.runId === "r9")).toBe(true);
  });

  it("cancels a queued training without ever starting a process", async () => {
    const { service, workers } = setup(1);
    const running = service.start(JOB, "running");
    const queued = service.start(JOB, "queued");
    await flush();
    queued.cancel();
    await expect(queued.result).rejects.toMatchObject({ code: "cancelled" });
    finish(workers[0], "r1");
    await running.result;
    await flush();
    expect(workers).toHaveLength(1);
  });

  it("marks the run of a killed training as cancelled, by run id", async () => {
    const { service, workers, markKilledRunCancelled } = setup(1, 10);
    const handle = service.start(JOB, "stubborn");
    await flush();
    workers[0].reply({ type: "progress", progress: { phase: "fit", message: "Epoch 1", runId: "r5" } });
    handle.cancel();
    await expect(handle.result).rejects.toMatchObject({ code: "cancelled" });
    expect(workers[0].killedWith).toBe("SIGKILL");
    expect(markKilledRunCancelled).toHaveBeenCalledWith(1000, "r5");
  });

  it("does not touch the store when the worker recorded the cancellation itself", async () => {
    const { service, workers, markKilledRunCancelled } = setup();
    const handle = service.start(JOB, "polite");
    await flush();
    workers[0].onCancel = () => {
      workers[0].reply({ type: "error", error: { message: "Training was cancelled.", code: "cancelled" } });
      workers[0].exit(0);
    };
    handle.cancel();
    await expect(handle.result).rejects.toMatchObject({ code: "cancelled" });
    expect(markKilledRunCancelled).not.toHaveBeenCalled();
  });

  it("cancelAll stops every training (window closing)", async () => {
    const { service, workers } = setup(2, 10);
    const a = service.start(JOB, "a");
    const b = service.start(JOB, "b");
    await flush();
    service.dispose();
    await expect(a.result).rejects.toMatchObject({ code: "cancelled" });
    await expect(b.result).rejects.toMatchObject({ code: "cancelled" });
    expect(workers.every((w) => w.sent.some((m) => m.type === "cancel"))).toBe(true);
  });

  it("setLimit lets queued trainings start", async () => {
    const { service, workers } = setup(1);
    service.start(JOB, "a");
    service.start(JOB, "b");
    await flush();
    expect(workers).toHaveLength(1);
    service.setLimit(2);
    await flush();
    expect(workers).toHaveLength(2);
    service.dispose();
  });
});
