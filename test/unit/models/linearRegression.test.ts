import { describe, expect, it } from "vitest";
import { LinearRegression } from "../../../src/core/builtins/models/linearRegression";
import { createMatrix, matrixFromRows, type Matrix } from "../../../src/core/data/matrix";
import { Rng } from "../../../src/core/util/random";
import { bitsOf, makeContext, tempDir } from "./helpers";

/** Rows of standard-normal features with y = intercept + X·weights + noise·N(0, 1). */
function linearData(rows: number, weights: number[], intercept: number, noise: number, seed: number) {
  const rng = new Rng(seed);
  const X = createMatrix(rows, weights.length);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let value = intercept + noise * rng.normal();
    weights.forEach((w, j) => {
      const x = 3 * rng.normal() + j;
      X.data[i * weights.length + j] = x;
      value += w * x;
    });
    y[i] = value;
  }
  return { X, y };
}

function column(X: Matrix, j: number): number[] {
  return Array.from({ length: X.rows }, (_, i) => X.data[i * X.cols + j]);
}

const context = () => makeContext(1, 0, { task: "regression" });

describe("LinearRegression", () => {
  it("is a regressor with documented defaults and no predictProba", () => {
    expect(LinearRegression.task).toBe("regression");
    const model = new LinearRegression();
    expect(model.params).toEqual({ l2: 0, fitIntercept: true });
    expect(model.predictProba).toBeUndefined();
  });

  it("rejects a negative l2 and a non-boolean fitIntercept", () => {
    expect(() => new LinearRegression({ l2: -0.5 })).toThrow(
      'Invalid parameters for model "LinearRegression": parameter "l2" must be at least 0, got -0.5.',
    );
    expect(() => new LinearRegression({ fitIntercept: "yes" })).toThrow(/"fitIntercept" must be true or false/);
    expect(() => new LinearRegression({ alpha: 1 })).toThrow(/has no parameter "alpha"/);
  });

  it("recovers the exact coefficients of noiseless data", () => {
    const { X, y } = linearData(500, [2, -1, 0.5, 4], 3, 0, 1);
    const model = new LinearRegression();
    model.fit(X, y, context());
    const { weights, intercept } = model.coefficients();
    [2, -1, 0.5, 4].forEach((w, j) => expect(weights[j]).toBeCloseTo(w, 11));
    expect(intercept).toBeCloseTo(3, 10);
  });

  it("matches the textbook one-feature formulas: slope = Sxy / (Sxx + l2), through the origin Σxy / Σx²", () => {
    const { X, y } = linearData(200, [1.5], -2, 1, 2);
    const x = column(X, 0);
    const xMean = x.reduce((a, b) => a + b) / x.length;
    const yMean = y.reduce((a, b) => a + b) / y.length;
    const sxy = x.reduce((s, v, i) => s + (v - xMean) * (y[i] - yMean), 0);
    const sxx = x.reduce((s, v) => s + (v - xMean) ** 2, 0);
    for (const l2 of [0, 10, 1000]) {
      const model = new LinearRegression({ l2 });
      model.fit(X, y, context());
      const { weights, intercept } = model.coefficients();
      expect(weights[0]).toBeCloseTo(sxy / (sxx + l2), 12);
      expect(intercept).toBeCloseTo(yMean - xMean * (sxy / (sxx + l2)), 12);
    }
    const origin = new LinearRegression({ fitIntercept: false });
    origin.fit(X, y, context());
    const sumXY = x.reduce((s, v, i) => s + v * y[i], 0);
    const sumXX = x.reduce((s, v) => s + v * v, 0);
    expect(origin.coefficients()).toEqual({ weights: [expect.closeTo(sumXY / sumXX, 12)], intercept: 0 });
  });

  it("handles a duplicated column: shares its weight evenly, predicts right, and says so in the log", () => {
    // The even split is only as exact as the tiny ridge allows (about 1e-6); the sum is exact.
    const { X: base, y } = linearData(300, [2, 3], 1, 0, 3);
    const X = matrixFromRows(
      Array.from({ length: base.rows }, (_, i) => [base.data[2 * i], base.data[2 * i], base.data[2 * i + 1]]),
      ["a", "a_copy", "b"],
    );
    const messages: string[] = [];
    const model = new LinearRegression();
    model.fit(X, y, { ...context(), log: (message) => messages.push(message) });
    const { weights } = model.coefficients();
    expect(weights[0]).toBeCloseTo(1, 4);
    expect(weights[1]).toBeCloseTo(1, 4);
    expect(weights[0] + weights[1]).toBeCloseTo(2, 9);
    expect(weights[2]).toBeCloseTo(3, 8);
    const predicted = model.predict(X);
    y.forEach((value, i) => expect(predicted[i]).toBeCloseTo(value, 6));
    expect(messages.join("\n")).toMatch(/collinear/);
  });

  it("gives a constant column no weight, and fits more columns than rows exactly", () => {
    const X = matrixFromRows([
      [1, 7, 2, 0, 5],
      [2, 7, 1, 1, 3],
      [3, 7, 5, 1, 1],
    ]);
    const y = Float64Array.from([1, 4, 2]);
    const model = new LinearRegression();
    model.fit(X, y, context());
    expect(model.coefficients().weights[1]).toBeCloseTo(0, 8);
    const predicted = model.predict(X);
    y.forEach((value, i) => expect(predicted[i]).toBeCloseTo(value, 6));
  });

  it("is deterministic and loads back bit-identically", async () => {
    const { X, y } = linearData(1000, [0.3, -2, 1, 0, 5], 7, 2, 4);
    const first = new LinearRegression({ l2: 1 });
    const second = new LinearRegression({ l2: 1 });
    first.fit(X, y, context());
    second.fit(X, y, context());
    expect(bitsOf(second.predict(X))).toBe(bitsOf(first.predict(X)));
    const dir = tempDir("linreg");
    await first.save(dir);
    const loaded = new LinearRegression();
    await loaded.load(dir);
    expect(bitsOf(loaded.predict(X))).toBe(bitsOf(first.predict(X)));
  });

  it("rejects missing targets and features, and predicting before training", () => {
    const { X, y } = linearData(20, [1, 2], 0, 0, 5);
    const badY = y.slice();
    badY[3] = NaN;
    expect(() => new LinearRegression().fit(X, badY, context())).toThrow(/needs numeric targets, but target value 3 is NaN/);
    const badX = { ...X, data: X.data.slice() };
    badX.data[5] = Infinity;
    expect(() => new LinearRegression().fit(badX, y, context())).toThrow(/missing or infinite value \(Infinity\) in row 2, column "x1"/);
    expect(() => new LinearRegression().predict(X)).toThrow(/has not been trained or loaded/);
  });

  it("fits 100,000 × 20", () => {
    const { X, y } = linearData(100_000, Array.from({ length: 20 }, (_, j) => j - 10), 1, 1, 6);
    const model = new LinearRegression();
    model.fit(X, y, context());
    expect(model.coefficients().weights[0]).toBeCloseTo(-10, 2);
  });
});
