import { FeatureGenerator } from "../../components/featureGenerator";
import { param, type ParamValues } from "../../components/params";
import type { Dataset } from "../../data/dataset";
import type { Matrix } from "../../data/matrix";
import { MlexpError } from "../../util/errors";
import type { JsonValue } from "../../util/json";
import { didYouMean } from "../../util/suggest";
import { fitColumnPlan, numericColumns, type ColumnPlan } from "./shared/columnPlan";
import { assembleMatrix, IDENTITY } from "./shared/matrixAssembly";
import { notFitted, ownerOf, planToJson, readPlanState } from "./shared/planState";

const spec = {
  columns: param.stringArray({
    description: "Columns to one-hot encode (default: every text column). Numeric columns listed here are encoded by value.",
  }),
  handleUnknown: param.string({
    default: "ignore",
    choices: ["ignore", "error"],
    description: 'A category not seen in training: "ignore" encodes it as all zeros, "error" stops the transform.',
  }),
  maxCategories: param.integer({
    min: 2,
    description: 'At most this many columns per encoded column: the most frequent categories, plus "(other)" for the rest.',
  }),
};

/**
 * One-hot encodes categorical columns: one 0/1 column per category seen in training, named
 * "color=red", in sorted order. Every text column is encoded (text cannot pass through as a
 * number), as are the numeric columns named in `columns` (by value: "rooms=3"); the other numeric
 * columns pass through with missing values replaced by the training mean. A missing value is all
 * zeros. An unseen category is all zeros ("ignore") or an error ("error"); with `maxCategories`,
 * every category that did not make the cut, seen in training or not, goes to "(other)". The target
 * is never encoded.
 */
export class OneHotEncoder extends FeatureGenerator<ParamValues<typeof spec>> {
  static override readonly params = spec;
  static override readonly description = "One-hot encodes text (and chosen numeric) columns; other numeric columns pass through.";

  private plan: ColumnPlan | undefined;

  fit(data: Dataset): void {
    this.plan = fitColumnPlan(data, {
      owner: ownerOf(this),
      categorical: new Set(this.checkedColumns(data)),
      maxCategories: this.params.maxCategories,
    });
  }

  transform(data: Dataset): Matrix {
    const plan = this.plan;
    if (!plan) throw notFitted(ownerOf(this));
    return assembleMatrix(data, plan, {
      owner: ownerOf(this),
      affines: numericColumns(plan).map(() => IDENTITY),
      onUnknown: this.params.handleUnknown === "error" ? rejectUnknown : undefined,
    });
  }

  override getState(): JsonValue {
    return this.plan ? { plan: planToJson(this.plan) } : null;
  }

  override setState(state: JsonValue): void {
    this.plan = state === null ? undefined : readPlanState(state, ownerOf(this)).plan;
  }

  private checkedColumns(data: Dataset): string[] {
    const requested = this.params.columns ?? [];
    const features = data.featureColumns.map((column) => column.name);
    for (const name of requested) {
      if (name === data.target) {
        throw new MlexpError(
          `OneHotEncoder's "columns" lists "${name}", which is the target column: the target is never encoded as a feature.`,
          "invalid_params",
          `Remove "${name}" from "columns".`,
        );
      }
      if (!features.includes(name)) {
        throw new MlexpError(
          `OneHotEncoder's "columns" lists "${name}", which is not a column of the dataset.${didYouMean(name, features)}`,
          "invalid_params",
          `Its feature columns are: ${features.join(", ")}.`,
        );
      }
    }
    return requested;
  }
}

function rejectUnknown(column: string, value: string, row: number): never {
  throw new MlexpError(
    `Column "${column}" holds the category ${JSON.stringify(value)} (row ${row + 1}), which the training data did not have.`,
    "invalid_data",
    'Set OneHotEncoder\'s "handleUnknown" to "ignore" to encode unseen categories as all zeros, or set "maxCategories" to group them under "(other)".',
  );
}
