import * as fs from "node:fs";
import { MlexpError } from "../../../util/errors";
import type { ColumnBuilder } from "./columnBuilder";
import { decimalFromBytes, DecimalScanner } from "./decimalBytes";
import { INPUT_LIMITS, inputTooLarge, lineTooLong } from "./files";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const FORM_FEED = 0x0c;
/**
 * Bytes read at a time (the benchmark `npm run bench -- csv` compares sizes): large enough that
 * reads and the per-block scans for quotes cost little, small enough that memory stays the columns'.
 */
export const READ_BLOCK_BYTES = 4 << 20;

/** What the fast reader hands each line to: the header's names, then each row's fields. */
export interface FastCsvSink {
  headerRead(names: string[]): void;
  /** Builders by field index (undefined for a column that is not kept), after headerRead(). */
  readonly builders: readonly (ColumnBuilder | undefined)[];
  rowRead(): void;
}

/**
 * The lean path for the common CSV: no quotes, one-byte delimiter, lines ending in LF or CRLF.
 * Reads the file's bytes in large blocks and converts numbers straight from them into the
 * columns' pre-sized Float64Arrays (decimalBytes.ts: no string per cell), with csv-parse's reading
 * of the same file: BOM skipped, unquoted fields trimmed, empty lines skipped. Numbers are kept
 * without their texts (`ColumnBuilder.pushReadNumber`): the caller reads again when a column turned
 * to text after numbers. Returns false, having read for nothing, as soon as it meets what it does
 * not handle (a quote, a lone CR): the caller then reads the file with csv-parse.
 */
export async function readCsvFast(
  file: string,
  delimiter: string,
  names: { source: string; given: string },
  sink: FastCsvSink,
  signal?: AbortSignal,
  blockBytes = READ_BLOCK_BYTES,
): Promise<boolean> {
  const { source, given } = names;
  // A delimiter that can be part of a number ("1.5e-3") would be read into it: csv-parse reads those files.
  if (Buffer.byteLength(delimiter) !== 1 || /["\n\r0-9.eE+-]/.test(delimiter)) return false;
  const reader = new LineReader(delimiter.charCodeAt(0), source, sink);
  const handle = await fs.promises.open(file, "r");
  try {
    // One buffer: the unfinished line at the end of a block moves to its start, the next read follows it.
    let buffer: Buffer = Buffer.allocUnsafe(blockBytes);
    let kept = 0;
    let reserved = false;
    let total = 0;
    for (;;) {
      signal?.throwIfAborted();
      if (kept === buffer.length) buffer = grown(buffer, source, reader.linesRead + 1);
      const { bytesRead } = await handle.read(buffer, kept, buffer.length - kept, null);
      if (bytesRead === 0) break;
      // The readers' limits (shared/files.ts): a file that grows while it is read, a line without end.
      total += bytesRead;
      if (total > INPUT_LIMITS.maxBytes) throw inputTooLarge("CsvFile", given, INPUT_LIMITS.maxBytes);
      const length = kept + bytesRead;
      const consumed = reader.lines(buffer.subarray(0, length), false);
      if (consumed < 0) return false;
      if (!reserved && reader.rowsRead > 0) {
        // Size the columns once from the first lines' length, instead of growing them by doubling.
        reserved = true;
        const { size } = await handle.stat();
        const expectedRows = Math.ceil((size / consumed) * reader.rowsRead * 1.05);
        for (const builder of sink.builders) builder?.reserve(expectedRows);
      }
      kept = length - consumed;
      buffer.copyWithin(0, consumed, length);
      if (kept > INPUT_LIMITS.maxLineBytes) throw lineTooLong(source, reader.linesRead + 1, INPUT_LIMITS.maxLineBytes);
    }
    return kept === 0 || reader.lines(buffer.subarray(0, kept), true) >= 0;
  } finally {
    await handle.close();
  }
}

/** A buffer twice as large holding the same bytes, for a line longer than a block. */
function grown(buffer: Buffer, source: string, line: number): Buffer {
  if (buffer.length > INPUT_LIMITS.maxLineBytes) throw lineTooLong(source, line, INPUT_LIMITS.maxLineBytes);
  const bigger = Buffer.allocUnsafe(buffer.length * 2);
  buffer.copy(bigger);
  return bigger;
}

class LineReader {
  rowsRead = 0;
  private line = 0;

  get linesRead(): number {
    return this.line;
  }
  private width = -1;
  private first = true;
  private readonly scanner = new DecimalScanner();

  constructor(
    private readonly delimiter: number,
    private readonly source: string,
    private readonly sink: FastCsvSink,
  ) {}

  /** Reads the complete lines of `bytes` (all of them at the end); returns the bytes used, or -1 to give up. */
  lines(bytes: Buffer, atEnd: boolean): number {
    let start = 0;
    if (this.first && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
    this.first = false;
    if (!handles(bytes, start, atEnd)) return -1;
    for (;;) {
      let end = bytes.indexOf(LF, start);
      if (end < 0) {
        if (!atEnd) return start;
        end = bytes.length;
      }
      this.line++;
      const stop = end > start && bytes[end - 1] === CR ? end - 1 : end;
      if (stop - start > INPUT_LIMITS.maxLineBytes) throw lineTooLong(this.source, this.line, INPUT_LIMITS.maxLineBytes);
      if (!this.readLine(bytes, start, stop)) return -1;
      if (end >= bytes.length) return bytes.length;
      start = end + 1;
      if (start === bytes.length) return start;
    }
  }

  private readLine(bytes: Buffer, start: number, end: number): boolean {
    if (start === end) return true; // an empty line
    if (this.width < 0) {
      const names = splitFields(bytes, start, end, this.delimiter).map(([s, e]) => bytes.toString("utf8", s, e));
      this.width = names.length;
      this.sink.headerRead(names);
      return true;
    }
    const fields = this.readRow(bytes, start, end);
    if (fields !== this.width) {
      throw new MlexpError(
        `Line ${this.line} of ${this.source} has ${fields} fields but the header has ${this.width}.`,
        "invalid_data",
        `Check that line for a missing or extra delimiter (${JSON.stringify(String.fromCharCode(this.delimiter))}); quote fields that contain it.`,
      );
    }
    this.sink.rowRead();
    this.rowsRead++;
    return true;
  }

  /**
   * Pushes the kept fields of one row into their builders; returns how many fields the row has.
   * A numeric column's cell is read as a number and its end found in the same pass over its bytes.
   */
  private readRow(bytes: Buffer, start: number, end: number): number {
    const builders = this.sink.builders;
    const delimiter = this.delimiter;
    const scanner = this.scanner;
    let field = 0;
    let s = start;
    for (;;) {
      const builder = builders[field];
      let e = s;
      let value = NaN;
      if (builder !== undefined && !builder.isText()) {
        value = scanner.read(bytes, s, end);
        e = scanner.stop;
      }
      // What the number did not end at a delimiter (text, blanks) is read the general way.
      if (e < end && bytes[e] !== delimiter) {
        value = NaN;
        // A loop over the bytes, not Buffer.indexOf: a native call per field costs more than the scan.
        while (e < end && bytes[e] !== delimiter) e++;
      }
      if (builder !== undefined) {
        if (value === value) builder.pushReadNumber(value);
        else pushField(builder, bytes, s, e);
      }
      field++;
      if (e === end) return field;
      s = e + 1;
    }
  }
}

/** No quote anywhere, and every CR ends a line before its LF (one at the very end may wait for the next read). */
function handles(bytes: Buffer, start: number, atEnd: boolean): boolean {
  if (bytes.indexOf(QUOTE, start) >= 0) return false;
  for (let cr = bytes.indexOf(CR, start); cr >= 0; cr = bytes.indexOf(CR, cr + 1)) {
    if (bytes[cr + 1] !== LF && (atEnd || cr !== bytes.length - 1)) return false;
  }
  return true;
}

function splitFields(bytes: Buffer, start: number, end: number, delimiter: number): [number, number][] {
  const fields: [number, number][] = [];
  let s = start;
  for (;;) {
    let e = bytes.indexOf(delimiter, s);
    if (e < 0 || e > end) e = end;
    fields.push(trimmed(bytes, s, e));
    if (e === end) return fields;
    s = e + 1;
  }
}

function isBlank(byte: number): boolean {
  return byte === SPACE || byte === TAB || byte === FORM_FEED;
}

function trimmed(bytes: Buffer, s: number, e: number): [number, number] {
  while (s < e && isBlank(bytes[s])) s++;
  while (e > s && isBlank(bytes[e - 1])) e--;
  return [s, e];
}

/** A cell the lean loop did not read as a number: trimmed, then a number, a missing value or text. */
function pushField(builder: ColumnBuilder, bytes: Buffer, from: number, to: number): void {
  let s = from;
  let e = to;
  while (s < e && isBlank(bytes[s])) s++;
  while (e > s && isBlank(bytes[e - 1])) e--;
  if (s === e) {
    builder.push("");
    return;
  }
  const value = builder.isText() ? NaN : decimalFromBytes(bytes, s, e);
  if (value === value) builder.pushReadNumber(value);
  else builder.push(bytes.toString("utf8", s, e));
}
