import { describe, expect, it } from "vitest";
import { matrixFromRows } from "../../../src/core/data/matrix";
import { classificationMetrics, isBetter, metricDirection, regressionMetrics, checkMetric } from "../../../src/core/training/metrics";

const f = (values: number[]) => Float64Array.from(values);

describe("classification metrics", () => {
  it("matches hand-computed binary figures (positive class = label 1)", () => {
    // TP=2 FP=1 FN=1 TN=2
    const m = classificationMetrics(f([1, 1, 1, 0, 0, 0]), f([1, 1, 0, 1, 0, 0]), 2);
    expect(m.accuracy).toBeCloseTo(4 / 6, 15);
    expect(m.precision).toBeCloseTo(2 / 3, 15);
    expect(m.recall).toBeCloseTo(2 / 3, 15);
    expect(m.f1).toBeCloseTo(2 / 3, 15);
  });

  it("macro-averages over classes for multiclass", () => {
    const m = classificationMetrics(f([0, 0, 1, 1, 2, 2]), f([0, 1, 1, 1, 2, 0]), 3);
    // per class precision: 1/2, 2/3, 1 ; recall: 1/2, 1, 1/2
    expect(m.precision).toBeCloseTo((1 / 2 + 2 / 3 + 1) / 3, 12);
    expect(m.recall).toBeCloseTo((1 / 2 + 1 + 1 / 2) / 3, 12);
  });

  it("computes roc_auc with ties and log_loss from probabilities", () => {
    const proba = matrixFromRows([
      [0.9, 0.1],
      [0.6, 0.4],
      [0.65, 0.35],
      [0.2, 0.8],
    ]);
    const m = classificationMetrics(f([0, 0, 1, 1]), f([0, 0, 0, 1]), 2, proba);
    // positives scores 0.35, 0.8 vs negatives 0.1, 0.4: pairs won 3 of 4
    expect(m.roc_auc).toBeCloseTo(0.75, 12);
    expect(m.log_loss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4, 12);
  });

  it("gives AUC 0.5 for all-equal scores", () => {
    const proba = matrixFromRows([[0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]);
    expect(classificationMetrics(f([0, 1, 0, 1]), f([0, 0, 0, 0]), 2, proba).roc_auc).toBe(0.5);
  });
});

describe("regression metrics", () => {
  it("matches hand-computed figures", () => {
    const m = regressionMetrics(f([1, 2, 3, 4]), f([1, 2, 3, 6]));
    expect(m.rmse).toBeCloseTo(1, 15);
    expect(m.mae).toBeCloseTo(0.5, 15);
    expect(m.r2).toBeCloseTo(1 - 4 / 5, 15);
  });
});

describe("metric directions", () => {
  it("knows which way is better", () => {
    expect(metricDirection("accuracy")).toBe("max");
    expect(metricDirection("log_loss")).toBe("min");
    expect(metricDirection("rmse")).toBe("min");
    expect(metricDirection("val_loss")).toBe("min");
    expect(isBetter("rmse", 1, 2)).toBe(true);
    expect(isBetter("accuracy", 0.8, 0.9)).toBe(false);
    expect(isBetter("accuracy", NaN, 0.1)).toBe(false);
  });

  it("rejects a metric of the wrong task with a suggestion", () => {
    expect(() => checkMetric("acuracy", "classification", true)).toThrow(/Did you mean "accuracy"/);
    expect(() => checkMetric("rmse", "classification", true)).toThrow(/Unknown classification metric "rmse"/);
    expect(() => checkMetric("log_loss", "classification", false)).toThrow(/needs class probabilities/);
  });
});
