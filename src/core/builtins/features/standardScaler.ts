import { FeatureGenerator } from "../../components/featureGenerator";
import { param, type ParamValues } from "../../components/params";
import type { Dataset } from "../../data/dataset";
import type { Matrix } from "../../data/matrix";
import { MlexpError } from "../../util/errors";
import type { JsonValue } from "../../util/json";
import { fitColumnPlan, numericColumns, type ColumnPlan } from "./shared/columnPlan";
import { fittedColumn } from "./shared/encoding";
import { assembleMatrix, type Affine } from "./shared/matrixAssembly";
import { numericStats } from "./shared/numericStats";
import { notFitted, ownerOf, planToJson, readPlanState, stateNumbers } from "./shared/planState";

const spec = {
  withMean: param.boolean({ default: true, description: "Subtract each column's training mean." }),
  withStd: param.boolean({ default: true, description: "Divide by each column's training standard deviation." }),
};

interface Fitted {
  readonly plan: ColumnPlan;
  /** Training standard deviation of each numeric column (missing values ignored), in plan order. */
  readonly stds: readonly number[];
}

/**
 * Standardises numeric columns to (x − mean) / std with the training rows' mean and population
 * standard deviation (missing values ignored when fitting, then replaced by the mean, so they
 * become 0). A column that was constant in training is only centred, never divided by zero. Text
 * columns are one-hot encoded (0/1, not scaled) with the training categories; a missing or unseen
 * category is all zeros. The target is never included.
 */
export class StandardScaler extends FeatureGenerator<ParamValues<typeof spec>> {
  static override readonly params = spec;
  static override readonly description = "Numeric columns scaled to zero mean and unit variance; text columns one-hot encoded.";

  private fitted: Fitted | undefined;

  fit(data: Dataset): void {
    const plan = fitColumnPlan(data, { owner: ownerOf(this) });
    const stds = numericColumns(plan).map((column) => {
      const values = fittedColumn(data, column.name, ownerOf(this)).values as Float64Array;
      const stats = numericStats(values);
      if (!Number.isFinite(stats.mean) || !Number.isFinite(stats.std)) throw tooLargeToScale(column.name, stats);
      return stats.std;
    });
    this.fitted = { plan, stds };
  }

  transform(data: Dataset): Matrix {
    const fitted = this.fitted;
    if (!fitted) throw notFitted(ownerOf(this));
    return assembleMatrix(data, fitted.plan, { owner: ownerOf(this), affines: this.affines(fitted) });
  }

  override getState(): JsonValue {
    return this.fitted ? { plan: planToJson(this.fitted.plan), stds: [...this.fitted.stds] } : null;
  }

  override setState(state: JsonValue): void {
    if (state === null) {
      this.fitted = undefined;
      return;
    }
    const { plan, fields } = readPlanState(state, ownerOf(this));
    this.fitted = { plan, stds: stateNumbers(fields.stds, numericColumns(plan).length, ownerOf(this), "stds") };
  }

  private affines(fitted: Fitted): Affine[] {
    const { withMean, withStd } = this.params;
    return numericColumns(fitted.plan).map((column, j) => ({
      center: withMean ? column.mean : 0,
      scale: withStd && fitted.stds[j] > 0 ? 1 / fitted.stds[j] : 1,
      offset: 0,
    }));
  }
}

/** Values near ±1.8e308 are finite, but their mean or spread is not: say that, not "NaN in row…". */
function tooLargeToScale(column: string, stats: { min: number; max: number }): MlexpError {
  return new MlexpError(
    `StandardScaler: the values of column "${column}" (from ${stats.min} to ${stats.max}) are too large to scale: their mean or spread overflows a double.`,
    "invalid_data",
    "Rescale that column in the data (e.g. divide it by 1e300 or take a logarithm), or leave it out with the data access object's \"columns\" parameter.",
  );
}
