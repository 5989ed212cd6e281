import { FeatureGenerator } from "../../components/featureGenerator";
import { param, type ParamValues } from "../../components/params";
import type { Dataset } from "../../data/dataset";
import type { Matrix } from "../../data/matrix";
import { MlexpError } from "../../util/errors";
import type { JsonValue } from "../../util/json";
import {
  categoryColumnNames,
  fitColumnPlan,
  MAX_OUTPUT_COLUMNS,
  numericColumns,
  outputWidth,
  type CategoricalPlan,
  type ColumnPlan,
} from "./shared/columnPlan";
import { imputedValues } from "./shared/encoding";
import { allocateMatrix, writeOneHot } from "./shared/matrixAssembly";
import { notFitted, ownerOf, planToJson, readPlanState } from "./shared/planState";
import { countTerms, polynomialTerms, type PolynomialTerms } from "./shared/polynomialTerms";

const spec = {
  degree: param.integer({ default: 2, min: 1, max: 4, description: "Highest total degree of the products." }),
  interactionOnly: param.boolean({ default: false, description: "Only products of distinct columns (x0*x1, never x0^2)." }),
  includeBias: param.boolean({ default: false, description: 'Add a constant column "1" first.' }),
};

/**
 * Every product of numeric columns up to `degree` ("x0", "x1", "x0^2", "x0*x1", …), computed on
 * the raw values with missing ones replaced by the training mean. Text columns are one-hot encoded
 * with the training categories (a missing or unseen category is all zeros) and appended as they
 * are, not multiplied. The target is never included. Refuses to make more than 10,000 columns,
 * which would only exhaust memory.
 */
export class PolynomialFeatures extends FeatureGenerator<ParamValues<typeof spec>> {
  static override readonly params = spec;
  static override readonly description = "Products of numeric columns up to a degree (x0*x1, x0^2, …); text columns one-hot encoded.";

  private plan: ColumnPlan | undefined;
  private terms: PolynomialTerms | undefined;

  fit(data: Dataset): void {
    this.usePlan(fitColumnPlan(data, { owner: ownerOf(this) }));
  }

  transform(data: Dataset): Matrix {
    const { plan, terms } = this;
    if (!plan || !terms) throw notFitted(ownerOf(this));
    const bias = this.params.includeBias ? 1 : 0;
    const categorical = plan.columns.filter((column): column is CategoricalPlan => column.kind === "category");
    const names = [...(bias ? ["1"] : []), ...terms.names, ...categorical.flatMap(categoryColumnNames)];
    const matrix = allocateMatrix(data.rowCount, names, ownerOf(this));
    const values = numericColumns(plan).map((column) => imputedValues(data, column, ownerOf(this)));
    writeTerms(matrix, bias, terms, values);
    let at = bias + terms.names.length;
    for (const column of categorical) {
      writeOneHot(matrix, at, data, column, { owner: ownerOf(this) });
      at += outputWidth(column);
    }
    return matrix;
  }

  override getState(): JsonValue {
    return this.plan ? { plan: planToJson(this.plan) } : null;
  }

  override setState(state: JsonValue): void {
    if (state === null) {
      this.plan = this.terms = undefined;
      return;
    }
    this.usePlan(readPlanState(state, ownerOf(this)).plan);
  }

  private usePlan(plan: ColumnPlan): void {
    const { degree, interactionOnly, includeBias } = this.params;
    const numeric = numericColumns(plan).map((column) => column.name);
    const oneHot = plan.columns.reduce((sum, column) => sum + (column.kind === "category" ? outputWidth(column) : 0), 0);
    const total = countTerms(numeric.length, degree, interactionOnly) + oneHot + (includeBias ? 1 : 0);
    if (total > MAX_OUTPUT_COLUMNS) throw tooManyColumns(total, numeric.length, degree, interactionOnly);
    this.plan = plan;
    this.terms = polynomialTerms(numeric, degree, interactionOnly);
  }
}

/** Row by row, each term is its prefix term (already written in this row) times one column. */
function writeTerms(matrix: Matrix, first: number, terms: PolynomialTerms, values: readonly Float64Array[]): void {
  const { data: out, cols, rows } = matrix;
  const { prefix, factor } = terms;
  for (let row = 0; row < rows; row++) {
    const start = row * cols + first;
    if (first === 1) out[start - 1] = 1;
    for (let t = 0; t < prefix.length; t++) {
      const x = values[factor[t]][row];
      out[start + t] = prefix[t] < 0 ? x : out[start + prefix[t]] * x;
    }
  }
}

function tooManyColumns(total: number, numeric: number, degree: number, interactionOnly: boolean): MlexpError {
  return new MlexpError(
    `PolynomialFeatures would make ${total.toLocaleString("en-US")} feature columns from ${numeric} numeric columns at degree ${degree}${interactionOnly ? " (interactions only)" : ""}, more than the limit of ${MAX_OUTPUT_COLUMNS.toLocaleString("en-US")}.`,
    "invalid_params",
    `Lower "degree", set "interactionOnly": true, or keep fewer columns with the data access object's "columns" parameter.`,
  );
}
