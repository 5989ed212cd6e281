import { MlexpError } from "../../../util/errors";
import { didYouMean } from "../../../util/suggest";
import { listNames } from "./files";

export interface ColumnSelection {
  /** Every column the source has, in its order. */
  readonly available: readonly string[];
  readonly target: string;
  /** The `columns` parameter: feature columns to keep (the target is always kept). */
  readonly columns?: readonly string[];
  /** Where the columns come from, for messages: `"data/iris.csv"`. */
  readonly source: string;
}

/**
 * The columns to load, in the source's order: the target plus the requested feature columns (all of
 * them when none are requested). Checked before the bulk of a file is read, so a misspelt name fails
 * in milliseconds rather than after parsing 200 MB.
 */
export function selectColumns(selection: ColumnSelection): string[] {
  const { available, target, columns, source } = selection;
  const known = new Set(available);
  if (!known.has(target)) {
    throw new MlexpError(
      `The target column "${target}" is not in ${source}.${didYouMean(target, available)}`,
      "invalid_params",
      `Its columns are: ${listNames(available)}. Set "target" to one of them.`,
    );
  }
  if (!columns) return [...available];
  if (columns.filter((name) => name !== target).length === 0) {
    throw new MlexpError(
      `The "columns" parameter keeps no feature column of ${source} besides the target.`,
      "invalid_params",
      `List at least one feature column, or leave "columns" out to keep them all. Its columns are: ${listNames(available)}.`,
    );
  }
  for (const name of columns) {
    if (!known.has(name)) {
      throw new MlexpError(
        `The "columns" parameter names "${name}", which is not a column of ${source}.${didYouMean(name, available)}`,
        "invalid_params",
        `Its columns are: ${listNames(available)}.`,
      );
    }
  }
  const wanted = new Set([...columns, target]);
  return available.filter((name) => wanted.has(name));
}
