import { describe, expect, it } from "vitest";
import { compareRuns, metricNames, rankRuns } from "../../../src/core/compare/compare";
import { toCsv } from "../../../src/core/compare/csv";
import type { ModelRun } from "../../../src/core/store/runRecord";
import { compareMetrics } from "../../../src/core/reproduce/verdict";
import { makeRun } from "../../helpers/runs";

/** A LogisticRegression run scored by accuracy and log loss; override what a test is about. */
function run(id: string, overrides: Partial<ModelRun>): ModelRun {
  return makeRun({
    run_id: id,
    model_class: "LogisticRegression",
    hyperparameters: { learningRate: 0.1, epochs: 10 },
    githash: "a".repeat(40),
    metrics: { accuracy: 0.8, log_loss: 0.4 },
    dataset_params: { path: "a.csv", target: "y" },
    ...overrides,
  });
}

describe("compareRuns", () => {
  it("states shared fields once and lists the differing ones", () => {
    const comparison = compareRuns([
      run("r1", {}),
      run("r2", { hyperparameters: { learningRate: 0.01, epochs: 10 }, metrics: { accuracy: 0.9, log_loss: 0.3 } }),
    ]);
    expect(comparison.common).toMatchObject({ model_class: "LogisticRegression", "params.epochs": 10, "dataset.path": "a.csv", githash: "a".repeat(40) });
    expect(comparison.differing).toEqual(["params.learningRate", "metrics.accuracy", "metrics.log_loss"]);
    expect(comparison.common).not.toHaveProperty("run_id");
  });

  it("counts a field only some runs have as a difference", () => {
    const comparison = compareRuns([run("r1", {}), run("r2", { hyperparameters: { learningRate: 0.1, epochs: 10, l2: 0.5 } })]);
    expect(comparison.differing).toContain("params.l2");
  });
});

describe("rankRuns", () => {
  const runs = [
    run("low", { metrics: { accuracy: 0.7, log_loss: 0.6 } }),
    run("none", { metrics: {} }),
    run("high", { metrics: { accuracy: 0.9, log_loss: 0.2 } }),
    run("tie", { metrics: { accuracy: 0.9, log_loss: 0.5 } }),
  ];

  it("ranks higher-is-better metrics descending, ties sharing a rank, missing last", () => {
    const { direction, ranked } = rankRuns(runs, "accuracy");
    expect(direction).toBe("max");
    expect(ranked.map((r) => [r.run.run_id, r.rank, r.best])).toEqual([
      ["high", 1, true],
      ["tie", 1, true],
      ["low", 3, false],
      ["none", null, false],
    ]);
  });

  it("ranks lower-is-better metrics ascending", () => {
    expect(rankRuns(runs, "log_loss").ranked.map((r) => r.run.run_id)).toEqual(["high", "tie", "low", "none"]);
  });

  it("lists every metric name", () => {
    expect(metricNames(runs)).toEqual(["accuracy", "log_loss"]);
  });
});

describe("toCsv", () => {
  it("quotes what needs quoting", () => {
    expect(toCsv(["a", "b"], [{ a: 'x,"y"', b: null }, { a: 1.5, b: true }])).toBe('a,b\r\n"x,""y""",\r\n1.5,true\r\n');
  });

  it("defuses text a spreadsheet would run as a formula, and leaves numbers alone", () => {
    const cells = ["=HYPERLINK(1)", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "plain"];
    const csv = toCsv(["v"], [...cells.map((v) => ({ v })), { v: -0.5 }]);
    expect(csv.split("\r\n").slice(1, -1)).toEqual(["'=HYPERLINK(1)", "'+1", "'-2+3", "'@SUM(A1)", "'\tx", "\"'\rx\"", "plain", "-0.5"]);
  });
});

describe("compareMetrics", () => {
  it("says identical, within tolerance or different, and takes the worst", () => {
    expect(compareMetrics({ a: 0.5 }, { a: 0.5 }, 0).verdict).toBe("identical");
    expect(compareMetrics({ a: 0.5 }, { a: 0.5 + 1e-12 }, 1e-9).verdict).toBe("within_tolerance");
    const mixed = compareMetrics({ a: 0.5, b: 1 }, { a: 0.5, b: 2 }, 1e-9);
    expect(mixed.verdict).toBe("different");
    expect(mixed.metrics[1]).toEqual({ metric: "b", original: 1, reproduced: 2, difference: 1, verdict: "different" });
  });

  it("treats NaN as the null the database stores, and a missing metric as different", () => {
    expect(compareMetrics({ roc_auc: null }, { roc_auc: NaN }, 0).verdict).toBe("identical");
    expect(compareMetrics({ a: 1 }, {}, 0).verdict).toBe("different");
  });
});
