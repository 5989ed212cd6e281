import { DataAccessObject, type LoadContext } from "../../components/dataAccessObject";
import { param, type ParamValues } from "../../components/params";
import { Dataset, type Column } from "../../data/dataset";
import { MlexpError } from "../../util/errors";
import { isPlainObject } from "../../util/json";
import { ColumnBuilder } from "./shared/columnBuilder";
import { selectColumns } from "./shared/columnSelection";
import { INPUT_LIMITS, resolveInputFile } from "./shared/files";
import { forEachLine } from "./shared/lineReader";

const spec = {
  path: param.string({ required: true, description: "The JSON Lines file (one object per line), relative to the workspace folder or absolute." }),
  target: param.string({ required: true, description: "The key to predict." }),
  columns: param.stringArray({ description: "Feature keys to keep (default: all of them). The target is always kept." }),
};

/**
 * A JSON Lines file: one JSON object per line, blank lines skipped. The columns are the union of
 * the keys of every row, in order of first appearance; a key a row lacks, or a null, is a missing
 * value. Numbers and booleans (as 1/0) make numeric columns; a nested object or array is kept as
 * its JSON text, so it can still serve as a category.
 */
export class JsonLines extends DataAccessObject<ParamValues<typeof spec>> {
  static override readonly params = spec;
  static override readonly description = "Reads a JSON Lines file (one object per line); missing keys are missing values.";

  load(context: LoadContext): Dataset {
    const file = resolveInputFile(context, this.params.path, "JsonLines");
    const source = `"${this.params.path}"`;
    const collector = new KeyColumns();
    forEachLine(
      file,
      (line, lineNumber) => {
        if (line.trim() !== "") addRow(collector, parseObject(line, lineNumber, source), lineNumber, source);
      },
      undefined,
      { source, owner: "JsonLines", ...INPUT_LIMITS },
    );
    if (collector.rows === 0) {
      throw new MlexpError(`${source} has no JSON objects: the dataset is empty.`, "invalid_data", `File: ${file}.`);
    }
    const kept = selectColumns({
      available: collector.names,
      target: this.params.target,
      columns: this.params.columns,
      source,
    });
    return new Dataset(
      kept.map((name) => collector.build(name)),
      this.params.target,
    );
  }
}

/** One column per key seen so far; a key first seen at row r starts with r missing values. */
class KeyColumns {
  private readonly builders = new Map<string, ColumnBuilder>();
  rows = 0;

  get names(): string[] {
    return [...this.builders.keys()];
  }

  add(row: Record<string, unknown>): void {
    for (const key of Object.keys(row)) {
      let builder = this.builders.get(key);
      if (!builder) this.builders.set(key, (builder = new ColumnBuilder(key)));
      builder.padTo(this.rows);
      builder.push(cellValue(row[key]));
    }
    this.rows++;
  }

  build(name: string): Column {
    const builder = this.builders.get(name) as ColumnBuilder;
    builder.padTo(this.rows);
    return builder.build();
  }
}

/** A value nested thousands of levels deep overflows the stack when it is kept as JSON text. */
function addRow(collector: KeyColumns, row: Record<string, unknown>, lineNumber: number, source: string): void {
  try {
    collector.add(row);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new MlexpError(
      `Line ${lineNumber} of ${source} holds a value nested too deeply to read.`,
      "invalid_data",
      "Each line must be one JSON object of values, such as {\"x\": 1.5, \"tags\": [\"a\", \"b\"]}.",
    );
  }
}

function parseObject(line: string, lineNumber: number, source: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new MlexpError(
      `Line ${lineNumber} of ${source} is not valid JSON: ${(error as Error).message}.`,
      "invalid_data",
      'Each line must be one JSON object, such as {"x": 1.5, "color": "red"}.',
    );
  }
  if (!isPlainObject(value)) {
    throw new MlexpError(
      `Line ${lineNumber} of ${source} is ${describeJson(value)}, not a JSON object.`,
      "invalid_data",
      'Each line must be one JSON object, such as {"x": 1.5, "color": "red"}.',
    );
  }
  return value;
}

function cellValue(value: unknown): unknown {
  return value !== null && typeof value === "object" ? JSON.stringify(value) : value;
}

function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
