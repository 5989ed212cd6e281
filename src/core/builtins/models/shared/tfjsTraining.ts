import type { FitContext } from "../../../components/model";
import type { Matrix } from "../../../data/matrix";
import type { Tf } from "../../../tfjs/backend";
import type { Rng } from "../../../util/random";
import { ADAM } from "./adam";
import { batchBounds, EpochOrder } from "./batches";
import { throwIfCancelled, yieldToEventLoop } from "./cancellation";
import { divergedError } from "./checks";
import { probabilityMatrix } from "./probabilities";

type Tensor = import("@tensorflow/tfjs").Tensor;
type Tensor2D = import("@tensorflow/tfjs").Tensor2D;
type Scalar = import("@tensorflow/tfjs").Scalar;
type Variable = import("@tensorflow/tfjs").Variable;
type Optimizer = import("@tensorflow/tfjs").Optimizer;

/**
 * Rows per predict call. tfjs-layers' default of 32 makes prediction of 50k rows take seconds on
 * wasm (per-call overhead); a few thousand rows per call take tens of milliseconds.
 */
const PREDICT_BATCH_ROWS = 8192;

function adamOptimizer(tf: Tf, learningRate: number): Optimizer {
  const optimizer = tf.train.adam(learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon);
  if (Reflect.get(optimizer, "learningRate") !== learningRate) {
    throw new Error("This TensorFlow.js version's Adam optimizer has no learningRate field to schedule.");
  }
  return optimizer;
}

/**
 * TensorFlow.js has no learning-rate schedules, but its Adam reads its (protected) `learningRate`
 * field at every step, so setting it before a step schedules that step. adamOptimizer checks that
 * the field exists.
 */
function setLearningRate(optimizer: Optimizer, learningRate: number): void {
  Reflect.set(optimizer, "learningRate", learningRate);
}

export function featureTensor(tf: Tf, X: Matrix): Tensor2D {
  return tf.tensor2d(Float32Array.from(X.data), [X.rows, X.cols], "float32");
}

/** Targets as the output layer sees them: one 0/1 column for two classes, one-hot otherwise. */
export function labelTensor(tf: Tf, y: Float64Array, classes: number): Tensor2D {
  if (classes === 2) return tf.tensor2d(Float32Array.from(y), [y.length, 1], "float32");
  return tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(y), "int32"), classes).toFloat() as Tensor2D);
}

/** The rows `order[start … end)` of features and labels, gathered on the backend. */
function gatherBatch(
  tf: Tf,
  features: Tensor2D,
  labels: Tensor2D,
  order: Uint32Array,
  start: number,
  end: number,
): { xs: Tensor2D; ys: Tensor2D } {
  const indices = tf.tensor1d(Int32Array.from(order.subarray(start, end)), "int32");
  return { xs: tf.gather(features, indices), ys: tf.gather(labels, indices) };
}

/** Mean log loss of a batch: sigmoid cross-entropy for one output column, softmax otherwise. */
export function meanLogLoss(tf: Tf, labels: Tensor2D, logits: Tensor2D): Scalar {
  return labels.shape[1] === 1
    ? tf.losses.sigmoidCrossEntropy(labels, logits)
    : tf.losses.softmaxCrossEntropy(labels, logits);
}

/** (l2/2)·Σ‖W‖² over the given weight matrices (never the biases), or undefined when l2 is 0. */
export function l2Penalty(tf: Tf, l2: number, weights: readonly Variable[]): Scalar | undefined {
  if (l2 === 0) return undefined;
  return tf.mul(tf.addN(weights.map((w) => tf.sum(tf.square(w)))), 0.5 * l2);
}

/** What a hand-written TensorFlow.js training loop needs besides the data. */
export interface AdamTraining {
  epochs: number;
  batchSize: number;
  /** The initial step size (for messages) and the step size of each step (0-based). */
  learningRate: number;
  learningRateAt: (step: number) => number;
  variables: Variable[];
  /** The batch objective to minimise (called inside optimizer.minimize). */
  objective: (xs: Tensor2D, ys: Tensor2D) => Scalar;
  /** Draws the batch order. */
  rng: Rng;
}

/**
 * Mini-batch Adam over `features`/`labels` with a seeded batch order, reporting each epoch's mean
 * batch objective and checking for cancellation between epochs. A hand-written loop rather than
 * model.fit: fit shuffles with Math.random and its bookkeeping made it about 2.5 times slower.
 * Disposes everything it creates; the variables stay with the caller.
 */
export async function trainWithAdam(
  tf: Tf,
  features: Tensor2D,
  labels: Tensor2D,
  plan: AdamTraining,
  context: FitContext,
): Promise<void> {
  const rows = features.shape[0];
  const optimizer = adamOptimizer(tf, plan.learningRate);
  const order = new EpochOrder(rows, plan.rng);
  let step = 0;
  try {
    for (let epoch = 1; epoch <= plan.epochs; epoch++) {
      throwIfCancelled(context.signal);
      const permutation = order.next();
      const costs: Scalar[] = [];
      const sizes: number[] = [];
      for (const [start, end] of batchBounds(rows, plan.batchSize)) {
        setLearningRate(optimizer, plan.learningRateAt(step++));
        costs.push(
          tf.tidy(() => {
            const { xs, ys } = gatherBatch(tf, features, labels, permutation, start, end);
            return minimizeReturningCost(optimizer, () => plan.objective(xs, ys), plan.variables);
          }),
        );
        sizes.push(end - start);
      }
      const loss = await meanOfCosts(tf, costs, sizes);
      if (!Number.isFinite(loss)) throw divergedError(plan.learningRate);
      context.onEpoch(epoch, { loss });
      await yieldToEventLoop();
    }
    throwIfCancelled(context.signal);
  } finally {
    optimizer.dispose();
  }
}

/**
 * Runs one Adam step and returns the batch's cost, kept for the epoch's loss: reading costs back
 * once per epoch instead of once per step avoids a synchronisation per step.
 */
function minimizeReturningCost(optimizer: Optimizer, objective: () => Scalar, variables: Variable[]): Scalar {
  const cost = optimizer.minimize(objective, true, variables);
  if (!cost) throw new Error("optimizer.minimize returned no cost.");
  return cost;
}

/** Size-weighted mean of the batch costs; disposes them. */
async function meanOfCosts(tf: Tf, costs: Scalar[], sizes: number[]): Promise<number> {
  const stacked = tf.stack(costs);
  const values = await stacked.data();
  stacked.dispose();
  tf.dispose(costs);
  let sum = 0;
  let rows = 0;
  for (let b = 0; b < sizes.length; b++) {
    sum += values[b] * sizes[b];
    rows += sizes[b];
  }
  return sum / rows;
}

/**
 * Class probabilities in batches of PREDICT_BATCH_ROWS. `logitsOf` maps a batch of rows to its
 * logits (one column for two classes: the logit of class 1).
 */
export function predictProbaInBatches(tf: Tf, X: Matrix, classes: number, logitsOf: (xs: Tensor2D) => Tensor2D): Matrix {
  const proba = probabilityMatrix(X.rows, classes);
  for (let start = 0; start < X.rows; start += PREDICT_BATCH_ROWS) {
    const end = Math.min(X.rows, start + PREDICT_BATCH_ROWS);
    const values = tf.tidy(() => {
      const xs = tf.tensor2d(Float32Array.from(X.data.subarray(start * X.cols, end * X.cols)), [end - start, X.cols]);
      const logits = logitsOf(xs);
      return (classes === 2 ? tf.sigmoid(logits) : tf.softmax(logits)) as Tensor;
    });
    const batch = values.dataSync();
    values.dispose();
    writeBatchProbabilities(batch, proba.data, start, end, classes);
  }
  return proba;
}

function writeBatchProbabilities(batch: ArrayLike<number>, out: Float64Array, start: number, end: number, classes: number): void {
  if (classes !== 2) {
    for (let i = 0; i < batch.length; i++) out[start * classes + i] = batch[i];
    return;
  }
  for (let r = 0; r < end - start; r++) {
    out[(start + r) * 2] = 1 - batch[r];
    out[(start + r) * 2 + 1] = batch[r];
  }
}
