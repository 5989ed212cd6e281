import { describe, expect, it } from "vitest";
import { buildCompareData, effectiveMetric, runVersion } from "../../../webview/compare/dataset";
import { makeRun } from "../../helpers/runs";
import { A, threeRuns } from "./runs";

describe("buildCompareData", () => {
  it("indexes runs and lists metrics and field keys", () => {
    const data = buildCompareData(threeRuns());
    expect(data.indexById.get(A)).toBe(0);
    expect(data.metrics).toEqual(["accuracy", "log_loss"]);
    expect(data.keys).toContain("params.lr");
    expect(data.comparison.rows).toHaveLength(3);
  });
});

describe("effectiveMetric", () => {
  it("keeps the user's choice while the runs have it", () => {
    expect(effectiveMetric(buildCompareData(threeRuns()), "log_loss")).toBe("log_loss");
  });

  it("otherwise takes the metric most runs optimised", () => {
    const runs = [makeRun({ run_id: "a", metric: "f1", metrics: { f1: 1, accuracy: 1 } }), makeRun({ run_id: "b", metric: "f1", metrics: { f1: 1 } }), makeRun({ run_id: "c", metric: "accuracy", metrics: { accuracy: 1 } })];
    expect(effectiveMetric(buildCompareData(runs), "gone")).toBe("f1");
    expect(effectiveMetric(buildCompareData(runs), null)).toBe("f1");
  });

  it("falls back to the first metric, or none", () => {
    expect(effectiveMetric(buildCompareData([makeRun({ metric: "rmse", metrics: { zeta: 1, alpha: 2 } })]), null)).toBe("alpha");
    expect(effectiveMetric(buildCompareData([makeRun({ metrics: {} })]), null)).toBeNull();
    expect(effectiveMetric(buildCompareData([]), null)).toBeNull();
  });
});

describe("runVersion", () => {
  it("changes when a run finishes", () => {
    expect(runVersion(makeRun({ status: "running", end_time: null }))).not.toBe(runVersion(makeRun({ status: "finished" })));
  });
});
