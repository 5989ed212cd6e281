import { describe, expect, it } from "vitest";
import { LogisticRegression } from "../../../src/core/builtins/models/logisticRegression";
import { LogisticRegressionTfjs } from "../../../src/core/builtins/models/logisticRegressionTfjs";
import { loadTf } from "../../../src/core/tfjs/backend";
import { accuracy, makeClassification, makeContext, splitTail, tempDir, type RecordingContext } from "./helpers";

/**
 * LogisticRegressionTfjs exists to be compared with LogisticRegression: the same algorithm, batch
 * order and objective in float32 TensorFlow.js instead of float64 TypeScript. Measured on this
 * data: weights (largest 1.9 to 6.4) agree to 2e-5, per-epoch losses to 1.3e-6, probabilities to
 * 2.1e-6, and every held-out prediction is the same.
 */
async function trainBoth(
  classes: number,
  params: Record<string, unknown>,
): Promise<{ ts: LogisticRegression; tf: LogisticRegressionTfjs; tsContext: RecordingContext; tfContext: RecordingContext }> {
  const { train } = data(classes);
  const ts = new LogisticRegression(params);
  const tf = new LogisticRegressionTfjs(params);
  const tsContext = makeContext(7, classes);
  const tfContext = makeContext(7, classes);
  await ts.fit(train.X, train.y, tsContext);
  await tf.fit(train.X, train.y, tfContext);
  return { ts, tf, tsContext, tfContext };
}

function data(classes: number) {
  return splitTail(makeClassification(6000, 12, classes, 100 + classes, 0.5), 2000);
}

function largestDifference(a: number[][], b: number[][]): number {
  let largest = 0;
  a.forEach((row, o) => row.forEach((v, j) => (largest = Math.max(largest, Math.abs(v - b[o][j])))));
  return largest;
}

describe("LogisticRegressionTfjs", () => {
  it("takes exactly LogisticRegression's parameters and defaults", () => {
    expect(LogisticRegressionTfjs.params).toBe(LogisticRegression.params);
    expect(new LogisticRegressionTfjs().params).toEqual(new LogisticRegression().params);
  });

  describe.each([
    { classes: 2, params: { epochs: 8 } },
    { classes: 4, params: { epochs: 8, l2: 0.01, batchSize: 100 } },
    { classes: 3, params: { epochs: 4, schedule: "constant", learningRate: 0.02 } },
    { classes: 2, params: {} },
  ])("agrees with LogisticRegression ($classes classes, $params)", ({ classes, params }) => {
    it("in weights, losses and predictions", async () => {
      const { ts, tf, tsContext, tfContext } = await trainBoth(classes, params);
      const { test } = data(classes);
      const a = ts.coefficients();
      const b = tf.coefficients();
      expect(largestDifference(a.weights, b.weights)).toBeLessThan(5e-5);
      expect(largestDifference([a.intercepts], [b.intercepts])).toBeLessThan(5e-5);
      // The weights are far from zero, so the agreement above is not trivial.
      expect(Math.max(...a.weights.flat().map(Math.abs))).toBeGreaterThan(0.5);
      tsContext.epochs.forEach((epoch, e) => {
        expect(Math.abs(epoch.metrics.loss - tfContext.epochs[e].metrics.loss)).toBeLessThan(1e-5);
      });
      const predictedTs = ts.predict(test.X);
      const predictedTf = tf.predict(test.X);
      expect(accuracy(predictedTf, predictedTs)).toBeGreaterThanOrEqual(0.999);
      expect(accuracy(predictedTf, test.y)).toBeCloseTo(accuracy(predictedTs, test.y), 3);
      const probaTs = ts.predictProba(test.X).data;
      const probaTf = tf.predictProba(test.X).data;
      expect(Math.max(...probaTs.map((p, i) => Math.abs(p - probaTf[i])))).toBeLessThan(2e-5);
      tf.dispose();
    });
  });

  it("leaves no tensor behind: fit, predict, save, load and dispose return to the starting count", async () => {
    const { tf } = await loadTf();
    const { train, test } = data(3);
    const before = tf.memory().numTensors;
    const model = new LogisticRegressionTfjs({ epochs: 3 });
    await model.fit(train.X, train.y, makeContext(1, 3));
    // Only the two variables (weights and intercepts) outlive fit.
    expect(tf.memory().numTensors).toBe(before + 2);
    model.predictProba(test.X);
    model.predict(test.X);
    model.coefficients();
    expect(tf.memory().numTensors).toBe(before + 2);
    const dir = tempDir("lrtf");
    await model.save(dir);
    const loaded = new LogisticRegressionTfjs();
    await loaded.load(dir);
    await loaded.load(dir);
    expect(tf.memory().numTensors).toBe(before + 4);
    // Training again replaces the previous variables.
    await model.fit(train.X, train.y, makeContext(2, 3));
    expect(tf.memory().numTensors).toBe(before + 4);
    model.dispose();
    loaded.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => model.predict(test.X)).toThrow(/has not been trained or loaded/);
  });

  it("leaves no tensor behind when training is cancelled", async () => {
    const { tf } = await loadTf();
    const { train } = data(2);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const context = makeContext(1, 2, { signal: controller.signal });
    const fitting = new LogisticRegressionTfjs({ epochs: 50 }).fit(train.X, train.y, {
      ...context,
      onEpoch: () => controller.abort(),
    });
    await expect(fitting).rejects.toMatchObject({ code: "cancelled" });
    expect(tf.memory().numTensors).toBe(before);
  });
});
