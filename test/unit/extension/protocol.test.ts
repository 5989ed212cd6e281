import { describe, expect, it } from "vitest";
import { isFromWorker, isToWorker } from "../../../src/protocol/training";

describe("training protocol guards", () => {
  it("accepts every well-formed message from the worker", () => {
    expect(isFromWorker({ type: "progress", progress: { phase: "fit", message: "Epoch 1", epoch: 1 } })).toBe(true);
    expect(isFromWorker({ type: "log", level: "warning", line: "warning: x" })).toBe(true);
    expect(isFromWorker({ type: "result", result: { kind: "describe", components: [] } })).toBe(true);
    expect(isFromWorker({ type: "error", error: { message: "bad", code: "invalid_params" } })).toBe(true);
  });

  it("rejects malformed messages from the worker", () => {
    for (const bad of [
      null,
      "progress",
      [],
      { type: "progress" },
      { type: "progress", progress: { phase: "fit" } },
      { type: "log", level: "debug", line: "x" },
      { type: "log", level: "info" },
      { type: "result", result: { kind: "unknown" } },
      { type: "error", error: { message: "no code" } },
      { type: "start", job: {} },
    ]) {
      expect(isFromWorker(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it("accepts start and cancel messages to the worker and nothing else", () => {
    expect(isToWorker({ type: "cancel" })).toBe(true);
    expect(isToWorker({ type: "start", job: { kind: "describe", workspace: "/w", loadUserCode: true } })).toBe(true);
    expect(isToWorker({ type: "start", job: { kind: "train" } })).toBe(false);
    expect(isToWorker({ type: "start", job: { kind: "format", workspace: "/w" } })).toBe(false);
    expect(isToWorker({ type: "stop" })).toBe(false);
    expect(isToWorker(undefined)).toBe(false);
  });
});
