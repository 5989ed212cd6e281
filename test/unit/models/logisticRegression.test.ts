import { describe, expect, it } from "vitest";
import { LogisticRegression } from "../../../src/core/builtins/models/logisticRegression";
import { ADAM } from "../../../src/core/builtins/models/shared/adam";
import { accuracy, makeBlobs, makeClassification, makeContext, splitTail } from "./helpers";

describe("LogisticRegression", () => {
  it("declares its parameters with the documented defaults", () => {
    expect(new LogisticRegression().params).toEqual({ learningRate: 0.05, schedule: "linear", batchSize: 256, l2: 0 });
    expect(() => new LogisticRegression({ schedule: "cosine" })).toThrow(/"schedule" must be one of linear, constant/);
  });

  it("chooses the number of epochs when not given: at least 3, and at least 750 Adam steps", async () => {
    const epochsRun = async (rows: number, batchSize: number): Promise<number> => {
      const { X, y } = makeBlobs(rows, 2, 2, 1);
      const context = makeContext(1, 2);
      await new LogisticRegression({ batchSize }).fit(X, y, context);
      return context.epochs.length;
    };
    expect(await epochsRun(150, 256)).toBe(750);
    expect(await epochsRun(1000, 256)).toBe(188);
    expect(await epochsRun(3000, 1)).toBe(3);
  });

  it("decays the step size linearly to 0 over training, unless the schedule is constant", async () => {
    // One row (x = 1, label 1): weight and intercept get the same gradient σ(w + b) − 1 at every
    // step, so a few lines of Adam written out here must give the same final weight.
    const X = { data: Float64Array.from([1]), rows: 1, cols: 1, names: ["x"] };
    const y = Float64Array.from([1]);
    const reference = (rates: number[]): number => {
      let w = 0;
      let m = 0;
      let v = 0;
      rates.forEach((rate, t) => {
        const g = 1 / (1 + Math.exp(-2 * w)) - 1;
        m = ADAM.beta1 * m + (1 - ADAM.beta1) * g;
        v = ADAM.beta2 * v + (1 - ADAM.beta2) * g * g;
        w -= (rate * (m / (1 - ADAM.beta1 ** (t + 1)))) / (Math.sqrt(v / (1 - ADAM.beta2 ** (t + 1))) + ADAM.epsilon);
      });
      return w;
    };
    const finalWeight = async (schedule: string): Promise<number> => {
      const model = new LogisticRegression({ schedule, epochs: 4, learningRate: 0.1 });
      await model.fit(X, y, makeContext(1, 2));
      return model.coefficients().weights[0][0];
    };
    expect(await finalWeight("constant")).toBeCloseTo(reference([0.1, 0.1, 0.1, 0.1]), 14);
    expect(await finalWeight("linear")).toBeCloseTo(reference([0.1, 0.075, 0.05, 0.025]), 14);
  });

  it("starts from zero weights: the first full-batch epoch reports log 2 (binary) and log k (softmax)", async () => {
    for (const classes of [2, 4]) {
      const { X, y } = makeBlobs(200, 3, classes, 5);
      const context = makeContext(1, classes);
      await new LogisticRegression({ epochs: 1, batchSize: 200 }).fit(X, y, context);
      expect(context.epochs[0].metrics.loss).toBeCloseTo(Math.log(classes), 14);
    }
  });

  it("takes Adam's first step exactly: every weight moves by learningRate against its gradient's sign", async () => {
    const { X, y } = makeClassification(300, 4, 2, 9);
    const learningRate = 0.01;
    const model = new LogisticRegression({ epochs: 1, batchSize: 300, learningRate });
    await model.fit(X, y, makeContext(1, 2));
    // From zero weights every probability is 1/2, so the mean gradient is mean((1/2 − y)·x).
    const gradient = (j: number): number => {
      let sum = 0;
      for (let i = 0; i < X.rows; i++) sum += (0.5 - y[i]) * (j < X.cols ? X.data[i * X.cols + j] : 1);
      return sum / X.rows;
    };
    const step = (g: number): number => (-learningRate * g) / (Math.abs(g) + ADAM.epsilon);
    const { weights, intercepts } = model.coefficients();
    weights[0].forEach((w, j) => expect(w).toBeCloseTo(step(gradient(j)), 14));
    expect(intercepts[0]).toBeCloseTo(step(gradient(X.cols)), 14);
  });

  it("reports the objective it minimises: mean log loss plus (l2/2)·‖W‖²", async () => {
    const { X, y } = makeBlobs(300, 3, 3, 11, 2);
    const l2 = 0.3;
    // Full batches: epoch 2's loss is measured at the weights left by epoch 1.
    const afterOne = new LogisticRegression({ epochs: 1, batchSize: 300, l2, learningRate: 0.2 });
    await afterOne.fit(X, y, makeContext(1, 3));
    const proba = afterOne.predictProba(X);
    let logLoss = 0;
    for (let i = 0; i < X.rows; i++) logLoss -= Math.log(proba.data[i * 3 + y[i]]);
    const squaredNorm = afterOne.coefficients().weights.flat().reduce((sum, w) => sum + w * w, 0);
    const context = makeContext(1, 3);
    await new LogisticRegression({ epochs: 2, batchSize: 300, l2, learningRate: 0.2 }).fit(X, y, context);
    expect(context.epochs[1].metrics.loss).toBeCloseTo(logLoss / X.rows + 0.5 * l2 * squaredNorm, 12);
  });

  it("reports every epoch, numbered from 1, with a loss that falls", async () => {
    const { train } = splitTail(makeClassification(2000, 6, 3, 2), 100);
    const context = makeContext(3, 3);
    await new LogisticRegression({ epochs: 6 }).fit(train.X, train.y, context);
    expect(context.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    const losses = context.epochs.map((e) => e.metrics.loss);
    expect(losses[5]).toBeLessThan(losses[0] * 0.5);
  });

  it("shrinks its weights as l2 grows", async () => {
    const { X, y } = makeClassification(1000, 5, 2, 4);
    const norm = async (l2: number): Promise<number> => {
      const model = new LogisticRegression({ l2, epochs: 20 });
      await model.fit(X, y, makeContext(1, 2));
      return Math.hypot(...model.coefficients().weights[0]);
    };
    const [none, some, much] = [await norm(0), await norm(0.01), await norm(0.1)];
    expect(some).toBeLessThan(none);
    expect(much).toBeLessThan(some * 0.7);
  });

  it("learns ten classes from 20 features on 20,000 rows", async () => {
    const { train, test } = splitTail(makeClassification(24000, 20, 10, 8, 0.5), 4000);
    const model = new LogisticRegression();
    await model.fit(train.X, train.y, makeContext(1, 10));
    expect(accuracy(model.predict(test.X), test.y)).toBeGreaterThan(0.85);
  });

  it("treats a batch larger than the data set as one full batch", async () => {
    const { X, y } = makeBlobs(50, 2, 2, 3);
    const weightsWith = async (batchSize: number): Promise<number[][]> => {
      const model = new LogisticRegression({ batchSize, epochs: 5 });
      await model.fit(X, y, makeContext(1, 2));
      return model.coefficients().weights;
    };
    expect(await weightsWith(10_000)).toEqual(await weightsWith(50));
    expect(await weightsWith(10_000)).not.toEqual(await weightsWith(25));
  });

  it("stops between epochs when cancelled during training, including from a timer", async () => {
    const { X, y } = makeClassification(2000, 5, 2, 1);
    const controller = new AbortController();
    const context = makeContext(1, 2, { signal: controller.signal });
    const fitting = new LogisticRegression({ epochs: 100 }).fit(X, y, {
      ...context,
      onEpoch: (epoch, metrics) => {
        context.onEpoch(epoch, metrics);
        if (epoch === 3) controller.abort();
      },
    });
    await expect(fitting).rejects.toMatchObject({ code: "cancelled" });
    expect(context.epochs).toHaveLength(3);

    // A cancel that arrives as an event (as IPC does) must be seen too: fit yields between epochs.
    const big = makeClassification(20000, 10, 2, 2);
    const timed = new AbortController();
    setTimeout(() => timed.abort(), 30);
    await expect(
      new LogisticRegression({ epochs: 10_000 }).fit(big.X, big.y, makeContext(1, 2, { signal: timed.signal })),
    ).rejects.toMatchObject({ code: "cancelled" });
  });

  it("fails with advice when the loss stops being finite", async () => {
    const { X, y } = makeClassification(100, 3, 2, 1, 0.5);
    await expect(new LogisticRegression({ learningRate: 1e308, epochs: 3 }).fit(X, y, makeContext(1, 2))).rejects.toThrow(
      /Training diverged.*smaller learningRate/,
    );
  });
});
