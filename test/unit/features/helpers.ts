import type { FeatureGenerator, FeatureGeneratorClass } from "../../../src/core/components/featureGenerator";
import { Dataset } from "../../../src/core/data/dataset";
import { toNestedRows, type Matrix } from "../../../src/core/data/matrix";
import type { JsonValue } from "../../../src/core/util/json";

/** A dataset from columns, typed by inference as a data access object's would be. */
export function dataset(columns: Record<string, readonly unknown[]>, target = "y"): Dataset {
  return Dataset.fromColumns(columns, target);
}

export function rowsOf(matrix: Matrix): number[][] {
  return toNestedRows(matrix);
}

/** A fresh instance restored from the state as it would be stored: through JSON text. */
export function restored(cls: FeatureGeneratorClass, params: Record<string, unknown>, fitted: FeatureGenerator<object>): FeatureGenerator<object> {
  const copy = new cls(params);
  copy.setState(JSON.parse(JSON.stringify(fitted.getState())) as JsonValue);
  return copy;
}

/** Bit-for-bit equality of two matrices, names included. */
export function sameMatrix(a: Matrix, b: Matrix): boolean {
  if (a.rows !== b.rows || a.cols !== b.cols || a.names.join("\u0000") !== b.names.join("\u0000")) return false;
  return Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength));
}
