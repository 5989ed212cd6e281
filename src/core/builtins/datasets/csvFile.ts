import { pipeline } from "node:stream/promises";
import { CsvError, parse } from "csv-parse";
import { DataAccessObject, type LoadContext } from "../../components/dataAccessObject";
import { param, type ParamValues, type RawParams } from "../../components/params";
import { Dataset } from "../../data/dataset";
import { isMlexpError, MlexpError } from "../../util/errors";
import { ColumnBuilder, type InvalidCells } from "./shared/columnBuilder";
import { READ_BLOCK_BYTES, readCsvFast, type FastCsvSink } from "./shared/fastCsv";
import { selectColumns } from "./shared/columnSelection";
import { INPUT_LIMITS, lineTooLong, openLimitedStream, resolveInputFile } from "./shared/files";
import { lineOfUnclosedQuote } from "./shared/quoteScan";
import { cancelledError, isAbortError } from "./shared/cancel";

const spec = {
  path: param.string({ required: true, description: "The CSV file, relative to the workspace folder or absolute." }),
  target: param.string({ required: true, description: "The column to predict." }),
  columns: param.stringArray({ description: "Feature columns to keep (default: all of them). The target is always kept." }),
  delimiter: param.string({ default: ",", description: 'The field separator, e.g. ";" or "\\t".' }),
  invalidNumbers: param.string({
    default: "error",
    choices: ["error", "missing", "drop", "text"],
    description:
      'A numeric column with a few cells that are not numbers: "error" names the column and row, "missing" reads them as missing values, "drop" drops their rows, "text" makes the column text.',
  }),
};

/**
 * A CSV file with a header row. Each column is numeric when every non-empty value in it reads as
 * a number, text otherwise; an empty field is a missing value. Unquoted fields are trimmed, so
 * "a, b" reads as "a" and "b"; quoted fields (RFC 4180) are kept as written, and a quoted number
 * ("1.5") is a number.
 *
 * The file is streamed and kept column by column (8 bytes a cell for numbers), never as an
 * array of row objects, so a 200 MB file loads in roughly its own size.
 */
export class CsvFile extends DataAccessObject<ParamValues<typeof spec>> {
  static override readonly params = spec;
  static override readonly description = "Reads a CSV file with a header row; numeric and text columns are detected.";

  constructor(params: RawParams = {}) {
    super(params);
    if (this.params.delimiter === "") {
      throw new MlexpError(
        'Invalid parameters for data access object "CsvFile": parameter "delimiter" is empty.',
        "invalid_params",
        'Use "," (the default), ";", "\\t" or another separator.',
      );
    }
  }

  /** Reads with csv-parse even where the lean path would do (the benchmark's and tests' baseline). */
  generalParserOnly = false;
  /** Bytes the lean path reads at a time (the benchmark compares sizes; tests cut lines across blocks). */
  leanBlockBytes = READ_BLOCK_BYTES;

  async load(context: LoadContext): Promise<Dataset> {
    const file = resolveInputFile(context, this.params.path, "CsvFile");
    const source = `"${this.params.path}"`;
    const newReader = (textColumns?: ReadonlySet<string>) =>
      new CsvColumnReader(source, this.params.target, this.params.columns, this.params.invalidNumbers as InvalidNumbers, textColumns);
    if (!this.generalParserOnly) {
      const read = await this.readLean(file, source, newReader, context.signal);
      if (read) return read;
    }
    // csv-parse reads only what the lean path leaves to it (readCsvFast says which files): a
    // delimiter of several bytes or one that can be part of a number, lines ending in a lone CR,
    // UTF-16, and malformed quoting, whose errors (naming the line) come from here.
    const reader = newReader();
    const parser = parse({ delimiter: this.params.delimiter, bom: true, trim: true, skip_empty_lines: true, max_record_size: INPUT_LIMITS.maxLineBytes });
    try {
      await pipeline(openLimitedStream(file, "CsvFile", this.params.path), parser, (records: AsyncIterable<string[]>) => reader.consume(records), {
        signal: context.signal,
      });
    } catch (error) {
      throw explainParseError(reader.failure ?? error, source, file, this.params.delimiter);
    }
    return reader.toDataset(file);
  }

  /**
   * The lean path (shared/fastCsv.ts), or undefined for a file it does not handle. Numbers are read
   * without their texts, so a column that turns out to be text after numbers ("02139", then
   * "K1A 0B1") is read again, text from its first row, which gives csv-parse's path's values.
   */
  private async readLean(file: string, source: string, newReader: (textColumns?: ReadonlySet<string>) => CsvColumnReader, signal?: AbortSignal) {
    let textColumns = new Set<string>();
    for (;;) {
      const reader = newReader(textColumns);
      try {
        if (!(await readCsvFast(file, this.params.delimiter, { source, given: this.params.path }, reader, signal, this.leanBlockBytes))) return undefined;
      } catch (error) {
        throw explainParseError(error, source, file, this.params.delimiter);
      }
      const dataset = reader.toDataset(file);
      const lost = reader.columnsWithLostTexts();
      if (!lost.length) return dataset;
      // Each pass makes at least one more column text from the start, so this ends.
      textColumns = new Set([...textColumns, ...lost]);
    }
  }
}

type InvalidNumbers = "error" | "missing" | "drop" | "text";

/** Receives parsed records (from csv-parse, or the lean path's lines) and keeps the selected columns. */
class CsvColumnReader implements FastCsvSink {
  private header: string[] | undefined;
  private picks: { index: number; builder: ColumnBuilder }[] = [];
  private rows = 0;
  /** The builder of each field index, undefined for the columns not kept. */
  builders: (ColumnBuilder | undefined)[] = [];
  /** What `consume` threw: pipeline() reports it as a bare AbortError from tearing down the parser. */
  failure: unknown;

  constructor(
    private readonly source: string,
    private readonly target: string,
    private readonly columns: readonly string[] | undefined,
    private readonly invalidNumbers: InvalidNumbers,
    /** Columns read as text from their first row (the lean path's second reading). */
    private readonly textColumns: ReadonlySet<string> = new Set(),
  ) {}

  /** Columns that turned to text after numbers read without their texts (lean path): read again. */
  columnsWithLostTexts(): string[] {
    return this.picks.filter(({ builder }) => builder.lostTexts).map(({ builder }) => builder.name);
  }

  async consume(records: AsyncIterable<string[]>): Promise<void> {
    try {
      for await (const record of records) {
        if (!this.header) this.readHeader(record);
        else this.readRow(record);
      }
    } catch (error) {
      this.failure = error;
      throw error;
    }
  }

  headerRead(names: string[]): void {
    this.readHeader(names);
  }

  rowRead(): void {
    this.rows++;
  }

  private readRow(record: string[]): void {
    for (const { index, builder } of this.picks) builder.push(record[index]);
    this.rows++;
  }

  toDataset(file: string): Dataset {
    if (!this.header) {
      throw new MlexpError(`${this.source} is empty: it has no header row and no data.`, "invalid_data", `File: ${file}.`);
    }
    if (this.rows === 0) {
      throw new MlexpError(`${this.source} has a header but no data rows: the dataset is empty.`, "invalid_data", `File: ${file}.`);
    }
    const dataset = new Dataset(
      this.picks.map(({ builder }) => builder.build()),
      this.target,
    );
    return this.handleInvalidNumbers(dataset);
  }

  /** Cells that are not numbers in otherwise numeric columns, as the `invalidNumbers` parameter says. */
  private handleInvalidNumbers(dataset: Dataset): Dataset {
    const invalid = this.picks.map(({ builder }) => ({ column: builder.name, ...builder.invalidCells() })).filter((c) => c.rows.length > 0);
    if (!invalid.length || this.invalidNumbers === "missing") return dataset;
    // ("text" read every column the old way: a cell that is not a number made its column text.)
    if (this.invalidNumbers === "error") throw invalidNumberError(invalid[0], invalid.length, this.source);
    if (this.invalidNumbers === "drop") {
      const dropped = new Set(invalid.flatMap((c) => c.rows));
      return dataset.take(Array.from({ length: dataset.rowCount }, (_, row) => row).filter((row) => !dropped.has(row)));
    }
    return dataset;
  }

  private newBuilder(name: string): ColumnBuilder {
    const builder = new ColumnBuilder(name, this.invalidNumbers !== "text");
    if (this.textColumns.has(name)) builder.startAsText();
    return builder;
  }

  private readHeader(names: string[]): void {
    checkHeader(names, this.source);
    const kept = selectColumns({ available: names, target: this.target, columns: this.columns, source: this.source });
    const keep = new Set(kept);
    this.picks = names.flatMap((name, index) => (keep.has(name) ? [{ index, builder: this.newBuilder(name) }] : []));
    this.builders = names.map(() => undefined);
    for (const { index, builder } of this.picks) this.builders[index] = builder;
    this.header = names;
  }
}

function invalidNumberError(first: InvalidCells & { column: string }, columns: number, source: string): MlexpError {
  const more = first.rows.length > 1 ? ` (and ${first.rows.length - 1} more such cell${first.rows.length > 2 ? "s" : ""})` : "";
  const others = columns > 1 ? `; ${columns - 1} other column${columns > 2 ? "s have" : " has"} such cells too` : "";
  return new MlexpError(
    `Column "${first.column}" of ${source} is numeric, but row ${first.rows[0] + 1} holds ${JSON.stringify(first.texts[0])}, which is not a number${more}${others}.`,
    "invalid_data",
    'Correct the value, or set the dataset parameter invalidNumbers to "missing" (read such cells as missing), "drop" (drop their rows) or "text" (read the column as text).',
  );
}

function checkHeader(names: readonly string[], source: string): void {
  const seen = new Map<string, number>();
  names.forEach((name, index) => {
    if (name === "") {
      throw new MlexpError(
        `The header row of ${source} has no name for column ${index + 1}.`,
        "invalid_data",
        "The first line must name every column; add the missing name (or remove a trailing delimiter).",
      );
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      throw new MlexpError(
        `The header row of ${source} names the column "${name}" twice (columns ${earlier + 1} and ${index + 1}).`,
        "invalid_data",
        "Rename one of them so every column has its own name.",
      );
    }
    seen.set(name, index);
  });
}

function explainParseError(error: unknown, source: string, file: string, delimiter: string): Error {
  if (isMlexpError(error)) return error;
  if (isAbortError(error)) return cancelledError(`Loading ${source}`);
  if (!(error instanceof CsvError)) return error instanceof Error ? error : new Error(String(error));
  const line = (error as CsvError & { lines?: number }).lines;
  const shown = JSON.stringify(delimiter);
  switch (error.code) {
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH": {
      const found = (error as CsvError & { record?: unknown[] }).record?.length;
      return new MlexpError(
        `Line ${line} of ${source} has ${found ?? "a different number of"} fields but the header has ${headerWidth(error)}.`,
        "invalid_data",
        `Check that line for a missing or extra delimiter (${shown}); quote fields that contain it.`,
      );
    }
    case "CSV_MAX_RECORD_SIZE": {
      // A quote never closed makes the rest of the file one record: name where it opened.
      const opened = lineOfUnclosedQuote(file);
      return opened === undefined ? lineTooLong(source, line ?? 1, INPUT_LIMITS.maxLineBytes) : unterminatedQuote(source, opened);
    }
    case "CSV_QUOTE_NOT_CLOSED":
      return unterminatedQuote(source, lineOfUnclosedQuote(file), line);
    default:
      return new MlexpError(
        `Cannot parse ${source}${line ? ` (line ${line})` : ""}: ${error.message}.`,
        "invalid_data",
        `Check that line, and that the delimiter is ${shown}.`,
      );
  }
}

function unterminatedQuote(source: string, opened: number | undefined, fileEnd?: number): MlexpError {
  return new MlexpError(
    `${source} has an unterminated quote: the quote opened on line ${opened ?? "?"} is never closed${fileEnd ? ` (the file ends at line ${fileEnd})` : ""}.`,
    "invalid_data",
    'Close the quote; a quote inside a quoted field is written twice ("").',
  );
}

/** The header width, which csv-parse only states in its message ("expect 3, got 2 on line 4"). */
function headerWidth(error: CsvError): string {
  const match = /expect (\d+)/.exec(error.message);
  return match ? match[1] : "a different number";
}
