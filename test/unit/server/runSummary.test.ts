import { describe, expect, it } from "vitest";
import { describeRuns, summariseRuns } from "../../../src/server/runs/runSummary";
import { formatNumber as runsViewNumber } from "../../../src/extension/util/format";
import { fixtureRun } from "../../integration/server/fixtureWorkspace";

describe("run summaries", () => {
  it("counts runs per model name and picks the best finished run by the latest run's metric", () => {
    const summaries = summariseRuns([
      fixtureRun({ run_id: "a", metrics: { accuracy: 0.8, rmse: 1 }, start_time: "2026-01-01T00:00:00Z" }),
      fixtureRun({ run_id: "b", metrics: { accuracy: 0.95 }, status: "failed", start_time: "2026-01-02T00:00:00Z" }),
      fixtureRun({ run_id: "c", metrics: { accuracy: 0.9 }, start_time: "2026-01-03T00:00:00Z" }),
      fixtureRun({ run_id: "d", model_class: "Reg", metric: "rmse", metrics: { rmse: 2 }, start_time: "2026-01-01T00:00:00Z" }),
      fixtureRun({ run_id: "e", model_class: "Reg", metric: "rmse", metrics: { rmse: 1.5 }, start_time: "2026-01-02T00:00:00Z" }),
      fixtureRun({ run_id: "f", model_class: "Running", status: "running", metrics: {} }),
    ]);
    expect(summaries.get("Centroid")).toEqual({ count: 3, best: { metric: "accuracy", value: 0.9, runId: "c" } });
    expect(summaries.get("Reg")).toEqual({ count: 2, best: { metric: "rmse", value: 1.5, runId: "e" } });
    expect(summaries.get("Running")).toEqual({ count: 1 });
  });

  it("words the lens", () => {
    expect(describeRuns(undefined)).toBe("no runs yet");
    expect(describeRuns({ count: 1 })).toBe("1 run · no finished run with a metric yet");
    expect(describeRuns({ count: 2, best: { metric: "f1", value: 0.81234, runId: "x" } })).toBe("2 runs · best f1 0.8123");
  });

  it("shows a metric with the same digits as the Runs view", () => {
    for (const value of [0.81234, 12.3456, 1234.5, 3, 0.00012345, 2.5e7, -0.5])
      expect(describeRuns({ count: 1, best: { metric: "rmse", value, runId: "x" } })).toBe(`1 run · best rmse ${runsViewNumber(value)}`);
    expect(runsViewNumber(12.3456)).toBe("12.35");
    expect(runsViewNumber(1234.5)).toBe("1235");
  });
});
