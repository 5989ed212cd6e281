import { describe, expect, it } from "vitest";
import { TrialCollector } from "../../../src/core/distributed/trialCollector";
import { parseQueueUrl } from "../../../src/core/distributed/redis";
import { isTrialJobData, trialJobId, type TrialJobResult } from "../../../src/protocol/queue";

const result = (trial: number, score: number, worker = "a/1"): TrialJobResult => ({
  trial,
  status: "finished",
  score,
  foldScores: [score, score],
  worker,
  host: "a",
  startTime: "2026-11-29T08:00:00.000Z",
  durationMs: 5,
});

describe("TrialCollector", () => {
  it("records each trial's first result once and ignores repeats from retried jobs", () => {
    const collector = new TrialCollector([{ x: 1 }, { x: 2 }]);
    expect(collector.accept(result(1, 0.5, "a/1"))).toMatchObject({ trial: 1, params: { x: 2 }, score: 0.5, worker: "a/1", status: "finished" });
    expect(collector.accept(result(1, 0.9, "b/2"))).toBeUndefined();
    expect(collector.accept(result(7, 0.9))).toBeUndefined();
    expect(collector.accept(result(0, 0.7))).toBeDefined();
    expect(collector.duplicates).toBe(1);
    expect(collector.trials().map((t) => [t.trial, t.score])).toEqual([[0, 0.7], [1, 0.5]]);
    expect(collector.missing()).toEqual([]);
  });

  it("counts failures and keeps the first failure's message", () => {
    const collector = new TrialCollector([{}, {}, {}]);
    collector.accept({ ...result(2, 0), status: "failed", score: null, foldScores: [], error: "boom" });
    collector.acceptQueueFailure(0, "stalled too often");
    expect(collector.failures).toBe(2);
    expect(collector.firstError()).toBe("stalled too often");
    expect(collector.missing()).toEqual([1]);
    expect(Number.isNaN(collector.trials()[1].score)).toBe(true);
  });
});

describe("the queue contract", () => {
  it("names jobs by run and trial, and refuses data of another version", () => {
    expect(trialJobId("20261129-080000-0123abcd", 3)).toBe("20261129-080000-0123abcd.t3");
    expect(isTrialJobData({ protocol: 2, runId: "x" })).toBe(false);
    expect(isTrialJobData({ protocol: 1, runId: "r", trial: 0, trials: 2, params: {}, request: {}, code: { commit: "c", remote: "r" }, storeId: "s", datasetHash: "h" })).toBe(true);
  });

  it("parses Redis URLs and never shows their password", () => {
    expect(parseQueueUrl("redis://127.0.0.1:6380/2")).toMatchObject({ options: { host: "127.0.0.1", port: 6380, db: 2 }, label: "redis://127.0.0.1:6380/2" });
    const withPassword = parseQueueUrl("redis://:s3cret@10.0.0.1");
    expect(withPassword.options).toMatchObject({ password: "s3cret", port: 6379 });
    expect(withPassword.label).toBe("redis://10.0.0.1");
    expect(() => parseQueueUrl("amqp://user:s3cret@host")).toThrow(/"amqp:\/\/host" is not a Redis URL/);
  });
});
