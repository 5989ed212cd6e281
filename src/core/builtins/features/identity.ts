import { FeatureGenerator } from "../../components/featureGenerator";
import type { ParamValues } from "../../components/params";
import type { Dataset } from "../../data/dataset";
import type { Matrix } from "../../data/matrix";
import type { JsonValue } from "../../util/json";
import { fitColumnPlan, numericColumns, type ColumnPlan } from "./shared/columnPlan";
import { assembleMatrix, IDENTITY } from "./shared/matrixAssembly";
import { notFitted, ownerOf, planToJson, readPlanState } from "./shared/planState";

const spec = {};

/**
 * The feature columns as they are: numeric columns unchanged, their missing values replaced by
 * the training mean; text columns one-hot encoded with the categories seen in training (a missing
 * value or a category never seen in training gives all zeros). The target is never included.
 * Columns keep the dataset's order; a text column "color" becomes "color=blue", "color=red", ….
 */
export class Identity extends FeatureGenerator<ParamValues<typeof spec>> {
  static override readonly params = spec;
  static override readonly description = "Numeric columns as they are (missing values → training mean), text columns one-hot encoded.";

  private plan: ColumnPlan | undefined;

  fit(data: Dataset): void {
    this.plan = fitColumnPlan(data, { owner: ownerOf(this) });
  }

  transform(data: Dataset): Matrix {
    const plan = this.plan;
    if (!plan) throw notFitted(ownerOf(this));
    const affines = numericColumns(plan).map(() => IDENTITY);
    return assembleMatrix(data, plan, { owner: ownerOf(this), affines });
  }

  override getState(): JsonValue {
    return this.plan ? { plan: planToJson(this.plan) } : null;
  }

  override setState(state: JsonValue): void {
    this.plan = state === null ? undefined : readPlanState(state, ownerOf(this)).plan;
  }
}
