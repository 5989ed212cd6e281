import type { FitContext } from "../../../components/model";
import type { Matrix } from "../../../data/matrix";
import { MlexpError } from "../../../util/errors";

/**
 * Checks made before training, so that bad input fails with a message that names the problem
 * instead of producing NaN weights or a library's stack trace.
 */
export function checkTrainingData(model: string, X: Matrix, y: Float64Array): void {
  if (X.rows === 0) throw new MlexpError(`${model} cannot train on an empty feature matrix.`, "invalid_data");
  if (X.cols === 0) {
    throw new MlexpError(`${model} needs at least one feature column.`, "invalid_data", "Check the feature generator.");
  }
  if (y.length !== X.rows) {
    throw new MlexpError(
      `${model} got ${X.rows} feature rows but ${y.length} target values.`,
      "invalid_data",
    );
  }
  checkFinite(model, X);
}

/** Labels must be the class indices 0 … classes-1 that mlexp's target encoding produces. */
export function checkClassLabels(model: string, y: Float64Array, context: FitContext): number {
  const classes = context.classes;
  if (!Number.isInteger(classes) || classes < 2) {
    throw new MlexpError(
      `${model} needs at least two classes, but the target has ${classes}.`,
      "invalid_data",
      "Choose a target column with two or more distinct values.",
    );
  }
  for (let i = 0; i < y.length; i++) {
    const label = y[i];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new MlexpError(
        `${model} expects class indices 0 to ${classes - 1}, but target value ${i} is ${label}.`,
        "invalid_data",
      );
    }
  }
  return classes;
}

export function checkTargetValues(model: string, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) {
      throw new MlexpError(`${model} needs numeric targets, but target value ${i} is ${y[i]}.`, "invalid_data");
    }
  }
}

/** Prediction rows must have the columns the model was trained on. */
export function checkPredictionData(model: string, X: Matrix, trainedColumns: number): void {
  if (X.cols !== trainedColumns) {
    throw new MlexpError(
      `${model} was trained on ${trainedColumns} feature columns but got ${X.cols} to predict.`,
      "invalid_data",
      "Use the same feature generator (and its fitted state) for training and prediction.",
    );
  }
  checkFinite(model, X);
}

export function notFitted(model: string): MlexpError {
  return new MlexpError(`${model} has not been trained or loaded yet.`, "invalid_argument", "Call fit() or load() first.");
}

function checkFinite(model: string, X: Matrix): void {
  const data = X.data;
  for (let i = 0; i < data.length; i++) {
    if (Number.isFinite(data[i])) continue;
    const row = Math.floor(i / X.cols);
    const column = X.names[i % X.cols] ?? `#${i % X.cols}`;
    throw new MlexpError(
      `${model} got a missing or infinite value (${data[i]}) in row ${row}, column "${column}".`,
      "invalid_data",
      "Fill in or drop missing values before training, e.g. in the feature generator.",
    );
  }
}

export function divergedError(learningRate: number): MlexpError {
  return new MlexpError(
    `Training diverged: the loss is no longer a finite number (learningRate ${learningRate}).`,
    "invalid_params",
    "Try a smaller learningRate or scale the features (e.g. StandardScaler).",
  );
}
