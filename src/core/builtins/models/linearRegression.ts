import { Model, type FitContext } from "../../components/model";
import { param, type ParamValues } from "../../components/params";
import type { Matrix } from "../../data/matrix";
import { checkPredictionData, checkTargetValues, checkTrainingData, notFitted } from "./shared/checks";
import { solveSymmetric } from "./shared/linearSolve";
import { numberArrayField, numberField, readModelJson, stringArrayField, writeModelJson } from "./shared/modelFiles";

const spec = {
  l2: param.number({
    default: 0,
    min: 0,
    description: "Ridge penalty: minimises ‖y − Xw − b‖² + l2·‖w‖² (the intercept is not penalised).",
  }),
  fitIntercept: param.boolean({ default: true, description: "Learn an intercept (otherwise it is 0)." }),
};

const SAVED = { format: "mlexp.LinearRegression", version: 1 } as const;
const FILE = "linearRegression.json";
const NAME = "LinearRegression";

interface Fitted {
  readonly weights: Float64Array;
  readonly intercept: number;
  readonly names: readonly string[];
}

/**
 * Ordinary least squares, or ridge regression when l2 > 0, solved in closed form: the normal
 * equations of the centred data, (XᵀX + l2·I)·w = Xᵀy, by Cholesky. Centring first keeps the
 * intercept out of the penalty and the system well scaled. Collinear or constant columns do not
 * fail: the solver adds a tiny relative ridge (see linearSolve.ts), which gives the minimum-norm
 * solution, and the run's log says so. No randomness: the result depends on the data only.
 */
export class LinearRegression extends Model<ParamValues<typeof spec>> {
  static override readonly params = spec;
  static override readonly task = "regression";
  static override readonly description = "Least-squares linear regression (ridge when l2 > 0), solved in closed form.";

  private fitted?: Fitted;

  fit(X: Matrix, y: Float64Array, context: FitContext): void {
    checkTrainingData(NAME, X, y);
    checkTargetValues(NAME, y);
    const d = X.cols;
    const xMean = this.params.fitIntercept ? columnMeans(X) : new Float64Array(d);
    const yMean = this.params.fitIntercept ? mean(y) : 0;
    const { gram, moment } = centredNormalEquations(X, y, xMean, yMean);
    for (let j = 0; j < d; j++) gram[j * d + j] += this.params.l2;
    const { solution, jitter } = solveSymmetric(gram, moment, d);
    if (jitter > 0) {
      context.log(
        `${NAME}: the feature columns are collinear (or constant); solved with a relative ridge of ${jitter}, which splits weight evenly between duplicated columns.`,
      );
    }
    let intercept = yMean;
    for (let j = 0; j < d; j++) intercept -= xMean[j] * solution[j];
    this.fitted = { weights: solution, intercept, names: [...X.names] };
  }

  predict(X: Matrix): Float64Array {
    const model = this.requireFitted();
    checkPredictionData(NAME, X, model.weights.length);
    const d = X.cols;
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let value = model.intercept;
      for (let j = 0; j < d; j++) value += X.data[i * d + j] * model.weights[j];
      out[i] = value;
    }
    return out;
  }

  /** The fitted weights (one per feature column) and intercept. */
  coefficients(): { weights: number[]; intercept: number } {
    const model = this.requireFitted();
    return { weights: Array.from(model.weights), intercept: model.intercept };
  }

  async save(dir: string): Promise<void> {
    const model = this.requireFitted();
    await writeModelJson(dir, FILE, SAVED, { features: model.names, ...this.coefficients() });
  }

  async load(dir: string): Promise<void> {
    const doc = await readModelJson(dir, FILE, SAVED);
    const names = stringArrayField(doc, "features");
    const weights = Float64Array.from(numberArrayField(doc, "weights", names.length));
    this.fitted = { weights, intercept: numberField(doc, "intercept"), names };
  }

  private requireFitted(): Fitted {
    if (!this.fitted) throw notFitted(NAME);
    return this.fitted;
  }
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

function columnMeans(X: Matrix): Float64Array {
  const means = new Float64Array(X.cols);
  for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) means[j] += X.data[i * X.cols + j];
  for (let j = 0; j < X.cols; j++) means[j] /= X.rows;
  return means;
}

/** (X − x̄)ᵀ(X − x̄) and (X − x̄)ᵀ(y − ȳ), accumulated row by row (upper triangle, then mirrored). */
function centredNormalEquations(
  X: Matrix,
  y: Float64Array,
  xMean: Float64Array,
  yMean: number,
): { gram: Float64Array; moment: Float64Array } {
  const d = X.cols;
  const gram = new Float64Array(d * d);
  const moment = new Float64Array(d);
  const row = new Float64Array(d);
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < d; j++) row[j] = X.data[i * d + j] - xMean[j];
    const target = y[i] - yMean;
    for (let j = 0; j < d; j++) {
      const value = row[j];
      moment[j] += value * target;
      const base = j * d;
      for (let k = j; k < d; k++) gram[base + k] += value * row[k];
    }
  }
  for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) gram[j * d + k] = gram[k * d + j];
  return { gram, moment };
}
