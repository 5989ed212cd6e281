import { FeatureGenerator } from "../../components/featureGenerator";
import { param, type ParamValues, type RawParams } from "../../components/params";
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
  min: param.number({ default: 0, description: "Where each column's training minimum lands." }),
  max: param.number({ default: 1, description: "Where each column's training maximum lands." }),
};

interface Fitted {
  readonly plan: ColumnPlan;
  /** Training minimum and maximum of each numeric column (missing values ignored), in plan order. */
  readonly lows: readonly number[];
  readonly highs: readonly number[];
}

/**
 * Maps each numeric column linearly so that its training minimum becomes `min` and its maximum
 * `max`; later rows outside the training range land outside [min, max] (no clipping, so nothing is
 * hidden). A column constant in training maps to `min`. Missing values are replaced by the
 * training mean before scaling. Text columns are one-hot encoded (0/1) with the training
 * categories; a missing or unseen category is all zeros. The target is never included.
 */
export class MinMaxScaler extends FeatureGenerator<ParamValues<typeof spec>> {
  static override readonly params = spec;
  static override readonly description = "Numeric columns scaled to a [min, max] range (default [0, 1]); text columns one-hot encoded.";

  private fitted: Fitted | undefined;

  constructor(params: RawParams = {}) {
    super(params);
    if (!(this.params.min < this.params.max)) {
      throw new MlexpError(
        `Invalid parameters for feature generator "MinMaxScaler": "min" (${this.params.min}) must be less than "max" (${this.params.max}).`,
        "invalid_params",
        'For example {"min": 0, "max": 1} or {"min": -1, "max": 1}.',
      );
    }
  }

  fit(data: Dataset): void {
    const plan = fitColumnPlan(data, { owner: ownerOf(this) });
    const stats = numericColumns(plan).map((column) => numericStats(fittedColumn(data, column.name, ownerOf(this)).values as Float64Array));
    this.fitted = { plan, lows: stats.map((s) => s.min), highs: stats.map((s) => s.max) };
  }

  transform(data: Dataset): Matrix {
    const fitted = this.fitted;
    if (!fitted) throw notFitted(ownerOf(this));
    return assembleMatrix(data, fitted.plan, { owner: ownerOf(this), affines: this.affines(fitted) });
  }

  override getState(): JsonValue {
    if (!this.fitted) return null;
    return { plan: planToJson(this.fitted.plan), lows: [...this.fitted.lows], highs: [...this.fitted.highs] };
  }

  override setState(state: JsonValue): void {
    if (state === null) {
      this.fitted = undefined;
      return;
    }
    const { plan, fields } = readPlanState(state, ownerOf(this));
    const count = numericColumns(plan).length;
    this.fitted = {
      plan,
      lows: stateNumbers(fields.lows, count, ownerOf(this), "lows"),
      highs: stateNumbers(fields.highs, count, ownerOf(this), "highs"),
    };
  }

  private affines(fitted: Fitted): Affine[] {
    const { min, max } = this.params;
    return fitted.lows.map((low, j) => {
      const span = fitted.highs[j] - low;
      return { center: low, scale: span > 0 ? (max - min) / span : 0, offset: min };
    });
  }
}
