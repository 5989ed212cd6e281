import { Model, type FitContext } from "../../components/model";
import type { ParamValues } from "../../components/params";
import type { Matrix } from "../../data/matrix";
import { loadTf, type Tf } from "../../tfjs/backend";
import { checkClassLabels, checkPredictionData, checkTrainingData, notFitted } from "./shared/checks";
import { linearLayout, type LinearCoefficients, type LinearLayout } from "./shared/linearLayout";
import { LOGISTIC_AUTOMATIC_EPOCHS, LOGISTIC_BATCH_STREAM, logisticRegressionParams } from "./shared/logisticParams";
import {
  integerField,
  numberArrayField,
  numberRowsField,
  readModelJson,
  stringArrayField,
  writeModelJson,
} from "./shared/modelFiles";
import { argmaxRows } from "./shared/probabilities";
import { resolveEpochs, scheduledLearningRate, stepsPerEpoch, type Schedule } from "./shared/schedule";
import {
  featureTensor,
  l2Penalty,
  labelTensor,
  meanLogLoss,
  predictProbaInBatches,
  trainWithAdam,
} from "./shared/tfjsTraining";

type Variable = import("@tensorflow/tfjs").Variable;

const spec = logisticRegressionParams;
const SAVED = { format: "mlexp.LogisticRegressionTfjs", version: 1 } as const;
const FILE = "logisticRegressionTfjs.json";
const NAME = "LogisticRegressionTfjs";

interface Fitted extends LinearLayout {
  readonly tf: Tf;
  /** cols × outputs, so that logits = X·W + b. */
  readonly weights: Variable;
  readonly intercepts: Variable;
  readonly names: readonly string[];
}

/**
 * The same algorithm as LogisticRegression (zero start, mini-batch Adam with the same
 * hyper-parameters and step-size schedule, the same seeded batch order, the same objective and the
 * same automatic number of epochs) written in TensorFlow.js with a hand-written training loop, so
 * that two implementations of one algorithm can be compared.
 * Computes in float32, so its weights match LogisticRegression's to float32 precision, not bits.
 */
export class LogisticRegressionTfjs extends Model<ParamValues<typeof spec>> {
  static override readonly params = spec;
  static override readonly task = "classification";
  static override readonly description =
    "Logistic regression (softmax for more than two classes) trained with mini-batch Adam, in TensorFlow.js.";

  private fitted?: Fitted;
  private fittedEpochs?: number;

  /** The number of epochs really trained (chosen automatically when `epochs` was not given). */
  override effectiveParams(): Record<string, unknown> {
    return this.fittedEpochs === undefined ? {} : { epochs: this.fittedEpochs };
  }

  async fit(X: Matrix, y: Float64Array, context: FitContext): Promise<void> {
    checkTrainingData(NAME, X, y);
    const layout = linearLayout(X.cols, checkClassLabels(NAME, y, context));
    const { tf } = await loadTf();
    this.dispose();
    const weights = tf.tidy(() => tf.variable(tf.zeros([layout.cols, layout.outputs]), true));
    const intercepts = tf.tidy(() => tf.variable(tf.zeros([layout.outputs]), true));
    const fitted: Fitted = { ...layout, tf, weights, intercepts, names: [...X.names] };
    try {
      await this.train(fitted, X, y, context);
    } catch (error) {
      tf.dispose([weights, intercepts]);
      throw error;
    }
    this.fitted = fitted;
  }

  private async train(model: Fitted, X: Matrix, y: Float64Array, context: FitContext): Promise<void> {
    const { tf, weights, intercepts } = model;
    const { batchSize, learningRate, l2 } = this.params;
    const schedule = this.params.schedule as Schedule;
    const epochs = (this.fittedEpochs = resolveEpochs(this.params.epochs, X.rows, batchSize, LOGISTIC_AUTOMATIC_EPOCHS));
    const totalSteps = epochs * stepsPerEpoch(X.rows, batchSize);
    const features = featureTensor(tf, X);
    const labels = labelTensor(tf, y, model.classes);
    try {
      await trainWithAdam(
        tf,
        features,
        labels,
        {
          epochs,
          batchSize,
          learningRate,
          learningRateAt: (step) => scheduledLearningRate(schedule, learningRate, step, totalSteps),
          variables: [weights, intercepts],
          objective: (xs, ys) => {
            const loss = meanLogLoss(tf, ys, tf.add(tf.matMul(xs, weights), intercepts));
            const penalty = l2Penalty(tf, l2, [weights]);
            return penalty ? tf.add(loss, penalty) : loss;
          },
          rng: context.rng.fork(LOGISTIC_BATCH_STREAM),
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
    checkPredictionData(NAME, X, model.cols);
    const { tf, weights, intercepts } = model;
    return predictProbaInBatches(tf, X, model.classes, (xs) => tf.add(tf.matMul(xs, weights), intercepts));
  }

  /** The trained weights, one row per output (one output for two classes, k for k classes). */
  coefficients(): LinearCoefficients {
    const model = this.requireFitted();
    const byColumn = model.weights.arraySync() as number[][];
    const weights = Array.from({ length: model.outputs }, (_, o) => byColumn.map((row) => row[o]));
    return { weights, intercepts: model.intercepts.arraySync() as number[] };
  }

  async save(dir: string): Promise<void> {
    const model = this.requireFitted();
    await writeModelJson(dir, FILE, SAVED, { features: model.names, classes: model.classes, ...this.coefficients() });
  }

  async load(dir: string): Promise<void> {
    const doc = await readModelJson(dir, FILE, SAVED);
    const names = stringArrayField(doc, "features");
    const layout = linearLayout(names.length, integerField(doc, "classes", 2));
    const rows = numberRowsField(doc, "weights", layout.outputs, layout.cols);
    const interceptValues = numberArrayField(doc, "intercepts", layout.outputs);
    const { tf } = await loadTf();
    this.dispose();
    const byColumn = Array.from({ length: layout.cols }, (_, j) => rows.map((row) => row[j]));
    this.fitted = {
      ...layout,
      tf,
      weights: tf.tidy(() => tf.variable(tf.tensor2d(byColumn, [layout.cols, layout.outputs], "float32"), true)),
      intercepts: tf.tidy(() => tf.variable(tf.tensor1d(interceptValues, "float32"), true)),
      names,
    };
  }

  override dispose(): void {
    if (!this.fitted) return;
    this.fitted.tf.dispose([this.fitted.weights, this.fitted.intercepts]);
    this.fitted = undefined;
  }

  private requireFitted(): Fitted {
    if (!this.fitted) throw notFitted(NAME);
    return this.fitted;
  }
}
