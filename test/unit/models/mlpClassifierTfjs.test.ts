import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { LogisticRegression } from "../../../src/core/builtins/models/logisticRegression";
import { MLPClassifierTfjs } from "../../../src/core/builtins/models/mlpClassifierTfjs";
import { loadTf } from "../../../src/core/tfjs/backend";
import { accuracy, bitsOf, makeBlobs, makeCircles, makeContext, splitTail, tempDir } from "./helpers";

describe("MLPClassifierTfjs", () => {
  it("declares its parameters with the documented defaults", () => {
    expect(new MLPClassifierTfjs().params).toEqual({
      hiddenUnits: [32],
      activation: "relu",
      learningRate: 0.01,
      batchSize: 128,
      l2: 0,
    });
  });

  it("rejects ill-formed hidden layers, activations and learning rates with clear messages", () => {
    const prefix = 'Invalid parameters for model "MLPClassifierTfjs": parameter';
    expect(() => new MLPClassifierTfjs({ hiddenUnits: 32 })).toThrow(`${prefix} "hiddenUnits" must be an array of whole numbers, got 32.`);
    expect(() => new MLPClassifierTfjs({ hiddenUnits: "32,16" })).toThrow(/"hiddenUnits" must be an array of whole numbers/);
    expect(() => new MLPClassifierTfjs({ hiddenUnits: [16, 0] })).toThrow(/"hiddenUnits" must hold values of at least 1/);
    expect(() => new MLPClassifierTfjs({ hiddenUnits: [8.5] })).toThrow(/"hiddenUnits" must be an array of whole numbers/);
    expect(() => new MLPClassifierTfjs({ hiddenUnits: [] })).toThrow(/"hiddenUnits" must hold at least 1 value/);
    expect(() => new MLPClassifierTfjs({ activation: "sigmoid" })).toThrow(/"activation" must be one of relu, tanh/);
    expect(() => new MLPClassifierTfjs({ learningRate: -0.01 })).toThrow(`${prefix} "learningRate" must be greater than 0, got -0.01.`);
  });

  it.each(["relu", "tanh"])("learns a boundary no linear model can draw (circles, %s)", async (activation) => {
    const { train, test } = splitTail(makeCircles(2500, 3), 500);
    const mlp = new MLPClassifierTfjs({ hiddenUnits: [16, 16], activation, epochs: 40, learningRate: 0.02 });
    await mlp.fit(train.X, train.y, makeContext(5, 2));
    const linear = new LogisticRegression({ epochs: 40 });
    await linear.fit(train.X, train.y, makeContext(5, 2));
    expect(accuracy(await mlp.predict(test.X), test.y)).toBeGreaterThan(0.93);
    expect(accuracy(linear.predict(test.X), test.y)).toBeLessThan(0.7);
    mlp.dispose();
  });

  it("chooses the number of epochs when not given: at least 10, and at least 1,000 Adam steps", async () => {
    const { X, y } = makeBlobs(100, 2, 2, 1);
    const context = makeContext(1, 2);
    const model = new MLPClassifierTfjs({ hiddenUnits: [2], batchSize: 50 });
    await model.fit(X, y, context);
    expect(context.epochs).toHaveLength(500);
    model.dispose();
  });

  it("reports every epoch's loss, and the loss falls", async () => {
    const { X, y } = makeBlobs(600, 4, 3, 8);
    const context = makeContext(1, 3);
    const model = new MLPClassifierTfjs({ epochs: 5 });
    await model.fit(X, y, context);
    expect(context.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(context.epochs[4].metrics.loss).toBeLessThan(context.epochs[0].metrics.loss);
    model.dispose();
  });

  it("l2 shrinks the weights it saves", async () => {
    const { X, y } = makeBlobs(600, 4, 3, 8);
    const savedWeightNorm = async (l2: number): Promise<number> => {
      const model = new MLPClassifierTfjs({ epochs: 10, l2 });
      await model.fit(X, y, makeContext(1, 3));
      const dir = tempDir("mlp-l2");
      await model.save(dir);
      model.dispose();
      const bytes = fs.readFileSync(path.join(dir, "weights.bin"));
      return Math.hypot(...new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    };
    expect(await savedWeightNorm(0.05)).toBeLessThan((await savedWeightNorm(0)) * 0.8);
  });

  it("saves model.json with the architecture and weights.bin with every float32 weight", async () => {
    const { X, y } = makeBlobs(300, 4, 3, 2);
    const model = new MLPClassifierTfjs({ hiddenUnits: [6, 5], epochs: 2 });
    await model.fit(X, y, makeContext(1, 3));
    const dir = tempDir("mlp-save");
    await model.save(dir);
    const saved = JSON.parse(fs.readFileSync(path.join(dir, "model.json"), "utf8"));
    expect(saved).toMatchObject({
      format: "mlexp.MLPClassifierTfjs",
      version: 1,
      classes: 3,
      hiddenUnits: [6, 5],
      activation: "relu",
      shapes: [[4, 6], [6], [6, 5], [5], [5, 3], [3]],
    });
    const parameterCount = 4 * 6 + 6 + 6 * 5 + 5 + 5 * 3 + 3;
    expect(fs.statSync(path.join(dir, "weights.bin")).size).toBe(4 * parameterCount);
    // A fresh instance with other parameters still loads the saved architecture.
    const loaded = new MLPClassifierTfjs({ hiddenUnits: [64] });
    await loaded.load(dir);
    expect(bitsOf((await loaded.predictProba(X)).data)).toBe(bitsOf((await model.predictProba(X)).data));
    model.dispose();
    loaded.dispose();
  });

  it("refuses a weights file of the wrong size", async () => {
    const { X, y } = makeBlobs(100, 3, 2, 2);
    const model = new MLPClassifierTfjs({ epochs: 1 });
    await model.fit(X, y, makeContext(1, 2));
    const dir = tempDir("mlp-bad");
    await model.save(dir);
    model.dispose();
    fs.writeFileSync(path.join(dir, "weights.bin"), Buffer.alloc(12));
    await expect(new MLPClassifierTfjs().load(dir)).rejects.toThrow(/weights.bin holds 12 bytes but the saved architecture needs/);
  });

  it("leaves no tensor behind after fit, predict, save, load, cancel and dispose", async () => {
    const { tf } = await loadTf();
    const { X, y } = makeBlobs(500, 4, 3, 4);
    const before = tf.memory().numTensors;
    const model = new MLPClassifierTfjs({ hiddenUnits: [8, 8], epochs: 3 });
    await model.fit(X, y, makeContext(1, 3));
    // Three layers, each a weight matrix and a bias.
    expect(tf.memory().numTensors).toBe(before + 6);
    await model.predictProba(X);
    const dir = tempDir("mlp-mem");
    await model.save(dir);
    const loaded = new MLPClassifierTfjs();
    await loaded.load(dir);
    expect(tf.memory().numTensors).toBe(before + 12);
    model.dispose();
    loaded.dispose();
    const controller = new AbortController();
    const fitting = new MLPClassifierTfjs({ epochs: 50 }).fit(X, y, {
      ...makeContext(1, 3, { signal: controller.signal }),
      onEpoch: () => controller.abort(),
    });
    await expect(fitting).rejects.toMatchObject({ code: "cancelled" });
    expect(tf.memory().numTensors).toBe(before);
  });
});
