import * as fs from "node:fs";
import { MlexpError } from "../../../util/errors";
import type { ColumnBuilder } from "./columnBuilder";
import { CR, LF, QUOTE } from "./charCodes";
import { blanksFor, isBlank, isBlankLine, unquotedText } from "./csvBytes";
import { GIVE_UP, NEED_MORE, RecordParser } from "./csvRecord";
import { decimalFromBytes, DecimalScanner } from "./decimalBytes";
import { INPUT_LIMITS, inputTooLarge, lineTooLong } from "./files";

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
 * The lean path: reads the file's bytes in large blocks and converts numbers straight from them
 * into the columns' pre-sized Float64Arrays (decimalBytes.ts: no string per cell), with csv-parse's
 * reading of the same file: BOM skipped, fields trimmed, empty lines skipped, RFC 4180 quoting
 * (quoted headers and text as R's write.csv writes them, quoted numbers as QUOTE_ALL does,
 * delimiters, doubled quotes and line breaks inside quotes), lines ending in LF or CRLF. A block
 * without a quote takes the plain loop, one with quotes the quote-aware one (csvRecord.ts).
 * Numbers are kept without their texts (`ColumnBuilder.pushReadNumber`): the caller reads again
 * when a column turned to text after numbers.
 *
 * Returns false, having read for nothing, for what only csv-parse reads, which the caller then
 * reads with it: a delimiter of more than one byte or one that can be part of a number; lines
 * ending in a lone CR; a UTF-16 file; and malformed quoting (a quote inside an unquoted field,
 * text after a closing quote, a quote never closed, a quoted record longer than the line limit),
 * for which csv-parse's error, naming the line, is the one users already get.
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
        reserved = true;
        reserveRows(sink, (await handle.stat()).size, consumed, reader.rowsRead);
      }
      kept = length - consumed;
      buffer.copyWithin(0, consumed, length);
      if (kept > INPUT_LIMITS.maxLineBytes) {
        // An unclosed quote runs to the end of the file: csv-parse's error says where it opened.
        if (reader.quoted) return false;
        throw lineTooLong(source, reader.linesRead + 1, INPUT_LIMITS.maxLineBytes);
      }
    }
    return kept === 0 || reader.lines(buffer.subarray(0, kept), true) >= 0;
  } finally {
    await handle.close();
  }
}

/** Sizes the columns once from the first rows' length, instead of growing them by doubling. */
function reserveRows(sink: FastCsvSink, fileBytes: number, bytesRead: number, rowsRead: number): void {
  const expectedRows = Math.ceil((fileBytes / bytesRead) * rowsRead * 1.05);
  for (const builder of sink.builders) builder?.reserve(expectedRows);
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
  /** The last block had quotes and was read by the quote-aware loop. */
  quoted = false;
  private line = 0;
  private width = -1;
  private first = true;
  private readonly scanner = new DecimalScanner();
  private readonly parser: RecordParser;
  /** Field indexes of the kept columns. */
  private kept: number[] = [];
  private readonly blanks: Uint8Array;

  constructor(
    private readonly delimiter: number,
    private readonly source: string,
    private readonly sink: FastCsvSink,
  ) {
    this.parser = new RecordParser(delimiter);
    this.blanks = blanksFor(delimiter);
  }

  get linesRead(): number {
    return this.line;
  }

  /** Reads the complete records of `bytes` (all of them at the end); returns the bytes used, or -1 to give up. */
  lines(bytes: Buffer, atEnd: boolean): number {
    let start = 0;
    if (this.first) {
      // A UTF-16 file (csv-parse reads it by its BOM).
      if (bytes[0] === 0xff && bytes[1] === 0xfe) return -1;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
      this.first = false;
    }
    if (this.width < 0) {
      this.quoted = bytes.indexOf(QUOTE, start) >= 0;
      start = this.records(bytes, start, atEnd, true);
      if (start < 0 || this.width < 0) return start;
    }
    this.quoted = bytes.indexOf(QUOTE, start) >= 0;
    if (this.quoted) return this.records(bytes, start, atEnd, false);
    if (!crsEndLines(bytes, start, atEnd)) return -1;
    return this.plainLines(bytes, start, atEnd);
  }

  /** The quote-aware loop (and the header's): records may span lines, so each is complete before its row is kept. */
  private records(bytes: Buffer, start: number, atEnd: boolean, headerOnly: boolean): number {
    const limit = bytes.length;
    const parser = this.parser;
    let pos = start;
    while (pos < limit) {
      const byte = bytes[pos];
      if (byte === LF || (byte === CR && bytes[pos + 1] === LF)) {
        this.line++; // an empty line
        pos += byte === LF ? 1 : 2;
        continue;
      }
      const end = parser.parse(bytes, pos, atEnd, this.width < 0 ? undefined : this.sink.builders);
      if (end === GIVE_UP) return -1;
      if (end === NEED_MORE) return pos;
      this.line += 1 + parser.newlines;
      pos = end;
      if (parser.blank) continue;
      if (this.width < 0) {
        this.readHeader(parser.texts.slice(0, parser.fields) as string[]);
        if (headerOnly) return pos;
        continue;
      }
      this.checkWidth(parser.fields);
      parser.commit(this.sink.builders, this.kept);
      this.rowDone();
    }
    return pos;
  }

  private readHeader(names: string[]): void {
    this.width = names.length;
    this.sink.headerRead(names);
    this.parser.setWidth(this.width);
    this.kept = this.sink.builders.flatMap((builder, index) => (builder ? [index] : []));
  }

  /** The loop for a block without quotes: each line is a row. */
  private plainLines(bytes: Buffer, from: number, atEnd: boolean): number {
    let start = from;
    for (;;) {
      if (start === bytes.length) return start;
      let end = bytes.indexOf(LF, start);
      if (end < 0) {
        if (!atEnd) return start;
        end = bytes.length;
      }
      this.line++;
      const stop = end > start && bytes[end - 1] === CR ? end - 1 : end;
      if (stop - start > INPUT_LIMITS.maxLineBytes) throw lineTooLong(this.source, this.line, INPUT_LIMITS.maxLineBytes);
      // Empty lines, and lines of spaces (csv-parse skips both).
      const spaceFirst = stop === start || bytes[start] >= 0x80 || this.blanks[bytes[start]] === 1;
      if (!spaceFirst || !isBlankLine(bytes, start, stop, this.blanks)) {
        this.checkWidth(this.readRow(bytes, start, stop));
        this.rowDone();
      }
      if (end >= bytes.length) return bytes.length;
      start = end + 1;
    }
  }

  private checkWidth(fields: number): void {
    if (fields === this.width) return;
    throw new MlexpError(
      `Line ${this.line} of ${this.source} has ${fields} fields but the header has ${this.width}.`,
      "invalid_data",
      `Check that line for a missing or extra delimiter (${JSON.stringify(String.fromCharCode(this.delimiter))}); quote fields that contain it.`,
    );
  }

  private rowDone(): void {
    this.sink.rowRead();
    this.rowsRead++;
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

/** Every CR ends a line before its LF (one at the very end may wait for the next read); a lone CR is csv-parse's. */
function crsEndLines(bytes: Buffer, start: number, atEnd: boolean): boolean {
  for (let cr = bytes.indexOf(CR, start); cr >= 0; cr = bytes.indexOf(CR, cr + 1)) {
    if (bytes[cr + 1] !== LF && (atEnd || cr !== bytes.length - 1)) return false;
  }
  return true;
}

/** A cell the lean loop did not read as a number: trimmed, then a number, a missing value or text. */
function pushField(builder: ColumnBuilder, bytes: Buffer, from: number, to: number): void {
  let s = from;
  let e = to;
  while (s < e && isBlank(bytes[s])) s++;
  while (e > s && isBlank(bytes[e - 1])) e--;
  const value = builder.isText() || s === e ? NaN : decimalFromBytes(bytes, s, e);
  if (value === value) builder.pushReadNumber(value);
  else builder.push(unquotedText(bytes, s, e));
}
