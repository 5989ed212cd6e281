import { Model, type FitContext } from "../../components/model";
import type { ParamValues } from "../../components/params";
import type { Matrix } from "../../data/matrix";
import { Adam } from "./shared/adam";
import { batchBounds, EpochOrder } from "./shared/batches";
import { throwIfCancelled, yieldToEventLoop } from "./shared/cancellation";
import {
  checkClassLabels,
  checkPredictionData,
  checkTrainingData,
  divergedError,
  notFitted,
} from "./shared/checks";
import {
  interceptOffset,
  linearLayout,
  parameterCount,
  type LinearCoefficients,
  type LinearLayout,
} from "./shared/linearLayout";
import {
  integerField,
  numberArrayField,
  numberRowsField,
  readModelJson,
  stringArrayField,
  writeModelJson,
} from "./shared/modelFiles";
import { accumulateBinaryBatch, accumulateSoftmaxBatch } from "./shared/logisticKernels";
import { LOGISTIC_AUTOMATIC_EPOCHS, LOGISTIC_BATCH_STREAM, logisticRegressionParams } from "./shared/logisticParams";
import { argmaxRows, probabilityMatrix, sigmoid, softmaxInPlace } from "./shared/probabilities";
import { resolveEpochs, scheduledLearningRate, stepsPerEpoch, type Schedule } from "./shared/schedule";

const spec = logisticRegressionParams;
const SAVED = { format: "mlexp.LogisticRegression", version: 1 } as const;
const FILE = "logisticRegression.json";
const NAME = "LogisticRegression";

interface Fitted extends LinearLayout {
  /** Weights then intercepts, see linearLayout.ts. */
  readonly params: Float64Array;
  readonly names: readonly string[];
}

/**
 * Logistic regression (sigmoid for two classes, softmax for more) trained by mini-batch Adam from
 * zero weights, in plain TypeScript on Float64Array. Each epoch visits the rows in an order shuffled
 * by the run's seeded generator; the step size decays linearly to 0 over training (schedule
 * "linear") or stays constant. Without `epochs`, trains at least 3 epochs and 750 steps.
 *
 * The reported `loss` is the mean over the epoch's batches of the objective each batch minimised
 * (mean log loss plus the l2 penalty), measured before its step, as Keras reports it.
 */
export class LogisticRegression extends Model<ParamValues<typeof spec>> {
  static override readonly params = spec;
  static override readonly task = "classification";
  static override readonly description =
    "Logistic regression (softmax for more than two classes) trained with mini-batch Adam, in plain TypeScript.";

  private fitted?: Fitted;
  private fittedEpochs?: number;

  /** The number of epochs really trained (chosen automatically when `epochs` was not given). */
  override effectiveParams(): Record<string, unknown> {
    return this.fittedEpochs === undefined ? {} : { epochs: this.fittedEpochs };
  }

  async fit(X: Matrix, y: Float64Array, context: FitContext): Promise<void> {
    checkTrainingData(NAME, X, y);
    const layout = linearLayout(X.cols, checkClassLabels(NAME, y, context));
    const params = new Float64Array(parameterCount(layout));
    const epochs = (this.fittedEpochs = resolveEpochs(this.params.epochs, X.rows, this.params.batchSize, LOGISTIC_AUTOMATIC_EPOCHS));
    const trainer = new EpochTrainer(layout, params, this.params, epochs, X, y);
    const order = new EpochOrder(X.rows, context.rng.fork(LOGISTIC_BATCH_STREAM));
    for (let epoch = 1; epoch <= epochs; epoch++) {
      throwIfCancelled(context.signal);
      const loss = trainer.runEpoch(order.next());
      if (!Number.isFinite(loss)) throw divergedError(this.params.learningRate);
      context.onEpoch(epoch, { loss });
      await yieldToEventLoop();
    }
    throwIfCancelled(context.signal);
    this.fitted = { ...layout, params, names: [...X.names] };
  }

  predict(X: Matrix): Float64Array {
    return argmaxRows(this.predictProba(X));
  }

  override predictProba(X: Matrix): Matrix {
    const model = this.requireFitted();
    checkPredictionData(NAME, X, model.cols);
    const proba = probabilityMatrix(X.rows, model.classes);
    const logits = new Float64Array(model.outputs);
    for (let i = 0; i < X.rows; i++) {
      computeLogits(model, model.params, X.data, i * X.cols, logits);
      writeProbabilities(model, logits, proba.data, i * model.classes);
    }
    return proba;
  }

  /** The trained weights, one row per output (one output for two classes, k for k classes). */
  coefficients(): LinearCoefficients {
    return coefficientsOf(this.requireFitted());
  }

  async save(dir: string): Promise<void> {
    const model = this.requireFitted();
    await writeModelJson(dir, FILE, SAVED, { features: model.names, classes: model.classes, ...coefficientsOf(model) });
  }

  async load(dir: string): Promise<void> {
    const doc = await readModelJson(dir, FILE, SAVED);
    const names = stringArrayField(doc, "features");
    const layout = linearLayout(names.length, integerField(doc, "classes", 2));
    const params = new Float64Array(parameterCount(layout));
    params.set(numberRowsField(doc, "weights", layout.outputs, layout.cols).flat());
    params.set(numberArrayField(doc, "intercepts", layout.outputs), interceptOffset(layout));
    this.fitted = { ...layout, params, names };
  }

  private requireFitted(): Fitted {
    if (!this.fitted) throw notFitted(NAME);
    return this.fitted;
  }
}

/**
 * One epoch of mini-batch Adam. Buffers are allocated once per fit: the inner loops run millions of
 * times and allocation there would dominate.
 */
class EpochTrainer {
  private readonly grads: Float64Array;
  private readonly logits: Float64Array;
  private readonly adam: Adam;
  private readonly totalSteps: number;
  private step = 0;

  constructor(
    private readonly layout: LinearLayout,
    private readonly params: Float64Array,
    private readonly settings: ParamValues<typeof spec>,
    epochs: number,
    private readonly X: Matrix,
    private readonly y: Float64Array,
  ) {
    this.grads = new Float64Array(params.length);
    this.logits = new Float64Array(layout.outputs);
    this.adam = new Adam(params.length);
    this.totalSteps = epochs * stepsPerEpoch(X.rows, settings.batchSize);
  }

  /** Trains on every row once in `order`; returns the size-weighted mean batch objective. */
  runEpoch(order: Uint32Array): number {
    let lossSum = 0;
    for (const [start, end] of batchBounds(order.length, this.settings.batchSize)) {
      this.grads.fill(0);
      const size = end - start;
      lossSum += this.accumulateBatch(order, start, end);
      lossSum += size * this.finishGradient(size);
      const { schedule, learningRate } = this.settings;
      this.adam.step(this.params, this.grads, scheduledLearningRate(schedule as Schedule, learningRate, this.step++, this.totalSteps));
    }
    return lossSum / order.length;
  }

  /** Sums the batch's log-loss gradient into `grads`; returns its summed log loss. */
  private accumulateBatch(order: Uint32Array, start: number, end: number): number {
    const { layout, params, grads } = this;
    const x = this.X.data;
    if (layout.outputs === 1) return accumulateBinaryBatch(x, this.y, order, start, end, layout.cols, params, grads);
    return accumulateSoftmaxBatch(x, this.y, order, start, end, layout.cols, layout.outputs, params, grads, this.logits);
  }

  /** Turns summed gradients into the batch mean plus the l2 term; returns the l2 penalty. */
  private finishGradient(size: number): number {
    const { grads, params } = this;
    const l2 = this.settings.l2;
    for (let p = 0; p < grads.length; p++) grads[p] /= size;
    if (l2 === 0) return 0;
    const weightCount = interceptOffset(this.layout);
    let squaredNorm = 0;
    for (let p = 0; p < weightCount; p++) {
      grads[p] += l2 * params[p];
      squaredNorm += params[p] * params[p];
    }
    return 0.5 * l2 * squaredNorm;
  }
}

/** logits[o] = intercept[o] + Σ_j x[offset+j]·W[o][j]. */
function computeLogits(layout: LinearLayout, params: Float64Array, x: Float64Array, offset: number, logits: Float64Array): void {
  const { cols, outputs } = layout;
  const interceptAt = interceptOffset(layout);
  for (let o = 0; o < outputs; o++) {
    let z = params[interceptAt + o];
    const w = o * cols;
    for (let j = 0; j < cols; j++) z += x[offset + j] * params[w + j];
    logits[o] = z;
  }
}

function writeProbabilities(layout: LinearLayout, logits: Float64Array, out: Float64Array, offset: number): void {
  if (layout.outputs === 1) {
    const p = sigmoid(logits[0]);
    out[offset] = 1 - p;
    out[offset + 1] = p;
    return;
  }
  softmaxInPlace(logits, 0, layout.outputs);
  out.set(logits, offset);
}

function coefficientsOf(model: Fitted): LinearCoefficients {
  const weights: number[][] = [];
  for (let o = 0; o < model.outputs; o++) {
    weights.push(Array.from(model.params.subarray(o * model.cols, (o + 1) * model.cols)));
  }
  return { weights, intercepts: Array.from(model.params.subarray(interceptOffset(model))) };
}
