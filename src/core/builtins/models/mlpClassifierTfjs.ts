import * as fs from "node:fs/promises";
import * as path from "node:path";
import { Model, type FitContext } from "../../components/model";
import { param, type ParamValues } from "../../components/params";
import type { Matrix } from "../../data/matrix";
import { loadTf, type Tf } from "../../tfjs/backend";
import { MlexpError } from "../../util/errors";
import type { Rng } from "../../util/random";
import { checkClassLabels, checkPredictionData, checkTrainingData, notFitted } from "./shared/checks";
import { integerField, readModelJson, stringArrayField, writeModelJson } from "./shared/modelFiles";
import { argmaxRows } from "./shared/probabilities";
import { resolveEpochs, type AutomaticEpochs } from "./shared/schedule";
import {
  featureTensor,
  l2Penalty,
  labelTensor,
  meanLogLoss,
  predictProbaInBatches,
  trainWithAdam,
} from "./shared/tfjsTraining";

type Tensor2D = import("@tensorflow/tfjs").Tensor2D;
type Variable = import("@tensorflow/tfjs").Variable;

const ACTIVATIONS = ["relu", "tanh"] as const;
type Activation = (typeof ACTIVATIONS)[number];

const spec = {
  hiddenUnits: param.numberArray({
    default: [32],
    integer: true,
    min: 1,
    minLength: 1,
    description: "Units of each hidden layer, e.g. [64, 32].",
  }),
  activation: param.string({ default: "relu", choices: ACTIVATIONS, description: "Activation of the hidden layers." }),
  learningRate: param.number({ default: 0.01, min: 0, exclusiveMin: true, description: "Adam step size." }),
  epochs: param.integer({
    min: 1,
    description: "Passes over the training rows. Default: automatic, at least 10 passes and 1,000 Adam steps.",
  }),
  batchSize: param.integer({ default: 128, min: 1, description: "Rows per Adam step." }),
  l2: param.number({
    default: 0,
    min: 0,
    description: "L2 penalty: adds (l2/2)·Σ‖W‖² over all weight matrices (biases excluded) to the mean log loss.",
  }),
};

/** When `epochs` is not given: small data sets get more passes, so that every fit takes ≥ 1,000 steps. */
const AUTOMATIC_EPOCHS: AutomaticEpochs = { minEpochs: 10, minSteps: 1000, maxEpochs: 1000 };

const SAVED = { format: "mlexp.MLPClassifierTfjs", version: 1 } as const;
const MODEL_FILE = "model.json";
const WEIGHTS_FILE = "weights.bin";
const NAME = "MLPClassifierTfjs";
/** Rng.fork labels: initial weights and batch order come from independent streams. */
const INIT_STREAM = 1;
const ORDER_STREAM = 2;

interface Layer {
  /** fanIn × fanOut. */
  readonly weights: Variable;
  readonly bias: Variable;
}

interface Fitted {
  readonly tf: Tf;
  readonly layers: readonly Layer[];
  readonly activation: Activation;
  readonly classes: number;
  readonly names: readonly string[];
  readonly hiddenUnits: readonly number[];
}

/**
 * A multi-layer perceptron classifier in TensorFlow.js: dense hidden layers (relu or tanh), then a
 * sigmoid output for two classes or softmax for more. Weights start from Glorot-uniform draws seeded
 * from the run's seed (biases at zero); mini-batch Adam with a constant step size visits the rows
 * in a seeded order each epoch; so the same data and seed give the same model on the same backend.
 * Without `epochs`, trains at least 10 epochs and 1,000 steps. `loss` is the epoch's mean batch
 * objective (log loss plus the l2 penalty), measured before each step.
 */
export class MLPClassifierTfjs extends Model<ParamValues<typeof spec>> {
  static override readonly params = spec;
  static override readonly task = "classification";
  static override readonly description = "Multi-layer perceptron classifier (dense layers, Adam) in TensorFlow.js.";

  private fitted?: Fitted;
  private fittedEpochs?: number;

  /** The number of epochs really trained (chosen automatically when `epochs` was not given). */
  override effectiveParams(): Record<string, unknown> {
    return this.fittedEpochs === undefined ? {} : { epochs: this.fittedEpochs };
  }

  async fit(X: Matrix, y: Float64Array, context: FitContext): Promise<void> {
    checkTrainingData(NAME, X, y);
    const classes = checkClassLabels(NAME, y, context);
    const { tf } = await loadTf();
    this.dispose();
    const hiddenUnits = [...this.params.hiddenUnits];
    const layers = initialLayers(tf, layerSizes(X.cols, hiddenUnits, classes), context.rng.fork(INIT_STREAM));
    const model: Fitted = {
      tf,
      layers,
      activation: this.params.activation as Activation,
      classes,
      names: [...X.names],
      hiddenUnits,
    };
    try {
      await this.train(model, X, y, context);
    } catch (error) {
      disposeLayers(tf, layers);
      throw error;
    }
    this.fitted = model;
  }

  private async train(model: Fitted, X: Matrix, y: Float64Array, context: FitContext): Promise<void> {
    const { tf, layers } = model;
    const { batchSize, learningRate, l2 } = this.params;
    const weightMatrices = layers.map((layer) => layer.weights);
    const features = featureTensor(tf, X);
    const labels = labelTensor(tf, y, model.classes);
    try {
      await trainWithAdam(
        tf,
        features,
        labels,
        {
          epochs: (this.fittedEpochs = resolveEpochs(this.params.epochs, X.rows, batchSize, AUTOMATIC_EPOCHS)),
          batchSize,
          learningRate,
          learningRateAt: () => learningRate,
          variables: layers.flatMap((layer) => [layer.weights, layer.bias]),
          objective: (xs, ys) => {
            const loss = meanLogLoss(tf, ys, forward(tf, model, xs));
            const penalty = l2Penalty(tf, l2, weightMatrices);
            return penalty ? tf.add(loss, penalty) : loss;
          },
          rng: context.rng.fork(ORDER_STREAM),
        },
        context,
      );
    } finally {
      tf.dispose([features, labels]);
    }
  }

  predict(X: Matrix): Float64Array {
    return argmaxRows(this.predictProba(X));
  }

  override predictProba(X: Matrix): Matrix {
    const model = this.requireFitted();
    checkPredictionData(NAME, X, model.names.length);
    return predictProbaInBatches(model.tf, X, model.classes, (xs) => forward(model.tf, model, xs));
  }

  /**
   * Writes model.json (architecture, feature names, shapes) and weights.bin (every weight matrix
   * and bias as little-endian float32, in layer order): float32 values are stored exactly.
   */
  async save(dir: string): Promise<void> {
    const model = this.requireFitted();
    const tensors = model.layers.flatMap((layer) => [layer.weights, layer.bias]);
    await writeModelJson(dir, MODEL_FILE, SAVED, {
      features: model.names,
      classes: model.classes,
      hiddenUnits: model.hiddenUnits,
      activation: model.activation,
      shapes: tensors.map((t) => t.shape),
    });
    const values = tensors.map((t) => t.dataSync() as Float32Array);
    await fs.writeFile(path.join(dir, WEIGHTS_FILE), encodeFloat32(values));
  }

  async load(dir: string): Promise<void> {
    const doc = await readModelJson(dir, MODEL_FILE, SAVED);
    const names = stringArrayField(doc, "features");
    const classes = integerField(doc, "classes", 2);
    const hiddenUnits = savedHiddenUnits(doc.hiddenUnits);
    const activation = savedActivation(doc.activation);
    const sizes = layerSizes(names.length, hiddenUnits, classes);
    const values = decodeFloat32(await readWeightsFile(dir), sizes);
    const { tf } = await loadTf();
    this.dispose();
    const layers = sizes.slice(1).map((fanOut, l) => ({
      weights: tf.tidy(() => tf.variable(tf.tensor2d(values[2 * l], [sizes[l], fanOut]), true)),
      bias: tf.tidy(() => tf.variable(tf.tensor1d(values[2 * l + 1]), true)),
    }));
    this.fitted = { tf, layers, activation, classes, names, hiddenUnits };
  }

  override dispose(): void {
    if (!this.fitted) return;
    disposeLayers(this.fitted.tf, this.fitted.layers);
    this.fitted = undefined;
  }

  private requireFitted(): Fitted {
    if (!this.fitted) throw notFitted(NAME);
    return this.fitted;
  }
}

/** Units from input to output: features, hidden layers, then 1 (sigmoid) or k (softmax). */
function layerSizes(features: number, hiddenUnits: readonly number[], classes: number): number[] {
  return [features, ...hiddenUnits, classes === 2 ? 1 : classes];
}

/**
 * Glorot-uniform weights with a seed per layer drawn from `rng`. The seed is never 0, which
 * TensorFlow.js reads as "no seed" and replaces by Math.random.
 */
function initialLayers(tf: Tf, sizes: readonly number[], rng: Rng): Layer[] {
  return sizes.slice(1).map((fanOut, l) => {
    const initializer = tf.initializers.glorotUniform({ seed: rng.seed() });
    return {
      weights: tf.tidy(() => tf.variable(initializer.apply([sizes[l], fanOut], "float32") as Tensor2D, true)),
      bias: tf.tidy(() => tf.variable(tf.zeros([fanOut]), true)),
    };
  });
}

/** Output logits (before sigmoid/softmax) for a batch of rows. */
function forward(tf: Tf, model: Fitted, xs: Tensor2D): Tensor2D {
  let h = xs;
  const last = model.layers.length - 1;
  model.layers.forEach((layer, l) => {
    const z = tf.add(tf.matMul(h, layer.weights), layer.bias) as Tensor2D;
    h = l === last ? z : model.activation === "relu" ? tf.relu(z) : tf.tanh(z);
  });
  return h;
}

function disposeLayers(tf: Tf, layers: readonly Layer[]): void {
  tf.dispose(layers.flatMap((layer) => [layer.weights, layer.bias]));
}

function encodeFloat32(arrays: readonly Float32Array[]): Buffer {
  const total = arrays.reduce((sum, a) => sum + a.length, 0);
  const buffer = Buffer.alloc(total * 4);
  let offset = 0;
  for (const array of arrays) {
    for (let i = 0; i < array.length; i++, offset += 4) buffer.writeFloatLE(array[i], offset);
  }
  return buffer;
}

/** Splits the weights file into each layer's weight matrix and bias, checking its size. */
function decodeFloat32(buffer: Buffer, sizes: readonly number[]): Float32Array[] {
  const lengths = sizes.slice(1).flatMap((fanOut, l) => [sizes[l] * fanOut, fanOut]);
  const expected = lengths.reduce((sum, n) => sum + n, 0) * 4;
  if (buffer.length !== expected) {
    throw new MlexpError(
      `${WEIGHTS_FILE} holds ${buffer.length} bytes but the saved architecture needs ${expected}.`,
      "object_corrupted",
    );
  }
  let offset = 0;
  return lengths.map((length) => {
    const values = new Float32Array(length);
    for (let i = 0; i < length; i++, offset += 4) values[i] = buffer.readFloatLE(offset);
    return values;
  });
}

async function readWeightsFile(dir: string): Promise<Buffer> {
  const where = path.join(dir, WEIGHTS_FILE);
  try {
    return await fs.readFile(where);
  } catch (error) {
    throw new MlexpError(`Cannot read the saved weights ${where}: ${(error as Error).message}`, "object_missing");
  }
}

function savedHiddenUnits(value: unknown): number[] {
  if (Array.isArray(value) && value.length > 0 && value.every((n) => Number.isInteger(n) && n >= 1)) return value;
  throw new MlexpError(`The saved model's "hiddenUnits" should be an array of whole numbers ≥ 1.`, "object_corrupted");
}

function savedActivation(value: unknown): Activation {
  const found = ACTIVATIONS.find((a) => a === value);
  if (found) return found;
  throw new MlexpError(`The saved model's "activation" should be one of ${ACTIVATIONS.join(", ")}.`, "object_corrupted");
}
