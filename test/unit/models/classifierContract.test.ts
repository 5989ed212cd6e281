import { afterEach, describe, expect, it, vi } from "vitest";
import { LogisticRegression } from "../../../src/core/builtins/models/logisticRegression";
import { LogisticRegressionTfjs } from "../../../src/core/builtins/models/logisticRegressionTfjs";
import { MLPClassifierTfjs } from "../../../src/core/builtins/models/mlpClassifierTfjs";
import { RandomForestClassifier } from "../../../src/core/builtins/models/randomForestClassifier";
import type { Model, ModelClass } from "../../../src/core/components/model";
import type { Matrix } from "../../../src/core/data/matrix";
import { MlexpError } from "../../../src/core/util/errors";
import { accuracy, bitsOf, makeBlobs, makeContext, splitTail, tempDir, type Dataset } from "./helpers";

/**
 * What every built-in classifier promises: it learns (binary and multiclass), it is deterministic
 * for a seed, it saves and loads without changing a bit of its output, and it rejects bad input
 * with an MlexpError that says what is wrong.
 */
interface Case {
  cls: ModelClass;
  params: Record<string, unknown>;
  rows: number;
  /**
   * Held-out accuracy the model must reach, per number of classes, a little below what it reaches
   * today (the 3-class blobs overlap: about 0.94 is the best any of them gets).
   */
  minAccuracy: Record<number, number>;
}

const CASES: Case[] = [
  { cls: LogisticRegression, params: { epochs: 20 }, rows: 1200, minAccuracy: { 2: 0.97, 3: 0.92, 10: 0.95 } },
  { cls: LogisticRegressionTfjs, params: { epochs: 20 }, rows: 1200, minAccuracy: { 2: 0.97, 3: 0.92, 10: 0.95 } },
  {
    cls: MLPClassifierTfjs,
    params: { epochs: 15, hiddenUnits: [16] },
    rows: 1200,
    minAccuracy: { 2: 0.97, 3: 0.92, 10: 0.94 },
  },
  { cls: RandomForestClassifier, params: { nEstimators: 15, maxDepth: 6 }, rows: 1200, minAccuracy: { 2: 0.97, 3: 0.92, 10: 0.94 } },
];

const COLS = 5;
const SEED = 42;

function dataFor(testCase: Case, classes: number): { train: Dataset; test: Dataset } {
  return splitTail(makeBlobs(testCase.rows, COLS, classes, 1000 + classes, 1), Math.floor(testCase.rows / 4));
}

async function fitted(testCase: Case, data: Dataset, seed = SEED): Promise<Model<object>> {
  const model = new testCase.cls(testCase.params);
  await model.fit(data.X, data.y, makeContext(seed, data.classes));
  return model;
}

async function probaOf(model: Model<object>, X: Matrix): Promise<Matrix> {
  if (!model.predictProba) throw new Error("a classifier must implement predictProba");
  return model.predictProba(X);
}

const live: Model<object>[] = [];
afterEach(() => {
  for (const model of live.splice(0)) model.dispose?.();
  vi.restoreAllMocks();
});
function track<M extends Model<object>>(model: M): M {
  live.push(model);
  return model;
}

describe.each(CASES)("$cls.name", (testCase) => {
  const name = testCase.cls.name;

  it("is a classifier with a description", () => {
    expect(testCase.cls.task).toBe("classification");
    expect(testCase.cls.description.length).toBeGreaterThan(10);
  });

  describe.each([2, 3, 10])("with %i classes", (classes) => {
    const { train, test } = dataFor(testCase, classes);

    it("learns: held-out accuracy above the threshold, probabilities that sum to 1, predict = argmax", async () => {
      const model = track(await fitted(testCase, train));
      const proba = await probaOf(model, test.X);
      const predicted = await model.predict(test.X);
      expect(proba.rows).toBe(test.X.rows);
      expect(proba.cols).toBe(classes);
      for (let i = 0; i < proba.rows; i++) {
        const row = Array.from(proba.data.subarray(i * classes, (i + 1) * classes));
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        expect(predicted[i]).toBe(row.indexOf(Math.max(...row)));
      }
      expect(accuracy(predicted, test.y)).toBeGreaterThanOrEqual(testCase.minAccuracy[classes]);
    });

    it("gives bit-identical probabilities in two separate fits with the same seed", async () => {
      const first = track(await fitted(testCase, train));
      const second = track(await fitted(testCase, train));
      expect(bitsOf((await probaOf(second, test.X)).data)).toBe(bitsOf((await probaOf(first, test.X)).data));
    });

    it("saves and loads into a new instance with bit-identical output", async () => {
      const model = track(await fitted(testCase, train));
      const dir = tempDir("save");
      await model.save(dir);
      const loaded = track(new testCase.cls(testCase.params));
      await loaded.load(dir);
      expect(bitsOf((await probaOf(loaded, test.X)).data)).toBe(bitsOf((await probaOf(model, test.X)).data));
      expect(bitsOf(await loaded.predict(test.X))).toBe(bitsOf(await model.predict(test.X)));
    });
  });

  it("depends on the seed (another seed gives another model)", async () => {
    const { train, test } = dataFor(testCase, 3);
    const a = track(await fitted(testCase, train, 1));
    const b = track(await fitted(testCase, train, 2));
    expect(bitsOf((await probaOf(a, test.X)).data)).not.toBe(bitsOf((await probaOf(b, test.X)).data));
  });

  it("never calls Math.random while training and predicting", async () => {
    const { train, test } = dataFor(testCase, 3);
    const spy = vi.spyOn(Math, "random");
    const model = track(await fitted(testCase, train));
    await model.predict(test.X);
    expect(spy).not.toHaveBeenCalled();
  });

  it("rejects unknown and ill-typed parameters with a clear message", () => {
    expect(() => new testCase.cls({ learningRat: 0.1 })).toThrow(MlexpError);
    expect(() => new testCase.cls({ learningRat: 0.1 })).toThrow(`model "${name}": has no parameter "learningRat"`);
    expect(() => new testCase.cls("fast" as unknown as Record<string, unknown>)).toThrow(/parameters must be an object/);
  });

  it("rejects missing values, bad labels and too few classes before training", async () => {
    const { train } = dataFor(testCase, 3);
    const withNaN = { ...train.X, data: train.X.data.slice() };
    withNaN.data[7] = NaN;
    await expect(async () => new testCase.cls(testCase.params).fit(withNaN, train.y, makeContext(1, 3))).rejects.toThrow(
      /missing or infinite value \(NaN\) in row 1, column "x2"/,
    );
    const badLabels = train.y.slice();
    badLabels[0] = 3;
    await expect(async () => new testCase.cls(testCase.params).fit(train.X, badLabels, makeContext(1, 3))).rejects.toThrow(
      /expects class indices 0 to 2, but target value 0 is 3/,
    );
    await expect(async () => new testCase.cls(testCase.params).fit(train.X, train.y.slice(1), makeContext(1, 3))).rejects.toThrow(
      /feature rows but/,
    );
    await expect(async () =>
      new testCase.cls(testCase.params).fit(train.X, new Float64Array(train.X.rows), makeContext(1, 1)),
    ).rejects.toThrow(/needs at least two classes/);
  });

  it("refuses to predict before training, and on a different number of columns", async () => {
    const { train } = dataFor(testCase, 2);
    const untrained = new testCase.cls(testCase.params);
    await expect(async () => untrained.predict(train.X)).rejects.toMatchObject({ code: "invalid_argument" });
    const model = track(await fitted(testCase, train));
    const narrower: Matrix = { data: new Float64Array(4 * (COLS - 1)), rows: 4, cols: COLS - 1, names: ["a", "b", "c", "d"] };
    await expect(async () => model.predict(narrower)).rejects.toThrow(/trained on 5 feature columns but got 4/);
  });

  it("stops with a 'cancelled' error when the signal is already aborted", async () => {
    const { train } = dataFor(testCase, 2);
    const controller = new AbortController();
    controller.abort();
    const context = makeContext(1, 2, { signal: controller.signal });
    await expect(async () => new testCase.cls(testCase.params).fit(train.X, train.y, context)).rejects.toMatchObject({
      code: "cancelled",
      message: "Training was cancelled.",
    });
  });

  it("fails clearly when loading from a folder without a saved model", async () => {
    await expect(async () => new testCase.cls(testCase.params).load(tempDir("empty"))).rejects.toMatchObject({
      code: "object_missing",
    });
  });
});
