import * as fs from "node:fs";
import { MlexpError } from "../../../util/errors";
import type { ColumnBuilder } from "./columnBuilder";
import { INPUT_LIMITS, inputTooLarge, lineTooLong } from "./files";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const FORM_FEED = 0x0c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const READ_BYTES = 1 << 20;
/** Up to 15 digits a decimal is exact as an integer and one division rounds it as Number() does. */
const MAX_FAST_DIGITS = 15;
const POWERS_OF_TEN = Array.from({ length: MAX_FAST_DIGITS + 1 }, (_, k) => 10 ** k);
/** Below this JavaScript prints a number in exponent form ("1e-7"), so the text is not how it prints. */
const SMALLEST_PLAIN = 1e-6;

/** What the fast reader hands each line to: the header's names, then each row's fields. */
export interface FastCsvSink {
  headerRead(names: string[]): void;
  /** Builders by field index (undefined for a column that is not kept), after headerRead(). */
  readonly builders: readonly (ColumnBuilder | undefined)[];
  rowRead(): void;
}

/**
 * The lean path for the common CSV: no quotes, one-byte delimiter, lines ending in LF or CRLF.
 * Reads the file's bytes and converts numbers straight from them (the usual decimal in one pass
 * over its digits), with csv-parse's reading of the same file: BOM skipped, unquoted fields
 * trimmed, empty lines skipped. Returns false, having read for nothing, as soon as it meets what
 * it does not handle (a quote, a lone CR): the caller then reads the file with csv-parse.
 */
export async function readCsvFast(
  file: string,
  delimiter: string,
  names: { source: string; given: string },
  sink: FastCsvSink,
  signal?: AbortSignal,
): Promise<boolean> {
  const { source, given } = names;
  if (Buffer.byteLength(delimiter) !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") return false;
  const reader = new LineReader(delimiter.charCodeAt(0), source, sink);
  const handle = await fs.promises.open(file, "r");
  try {
    let carry = Buffer.alloc(0);
    let reserved = false;
    let total = 0;
    const chunk = Buffer.allocUnsafe(READ_BYTES);
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(chunk, 0, READ_BYTES, null);
      if (bytesRead === 0) break;
      // The readers' limits (shared/files.ts): a file that grows while it is read, a line without end.
      total += bytesRead;
      if (total > INPUT_LIMITS.maxBytes) throw inputTooLarge("CsvFile", given, INPUT_LIMITS.maxBytes);
      const bytes = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      const consumed = reader.lines(bytes, false);
      if (consumed < 0) return false;
      if (!reserved && reader.rowsRead > 0) {
        // Size the columns once from the first lines' length, instead of growing them by doubling.
        reserved = true;
        const { size } = await handle.stat();
        const expectedRows = Math.ceil((size / consumed) * reader.rowsRead * 1.05);
        for (const builder of sink.builders) builder?.reserve(expectedRows);
      }
      carry = Buffer.from(bytes.subarray(consumed));
      if (carry.length > INPUT_LIMITS.maxLineBytes) throw lineTooLong(source, reader.linesRead + 1, INPUT_LIMITS.maxLineBytes);
    }
    return carry.length === 0 || reader.lines(carry, true) >= 0;
  } finally {
    await handle.close();
  }
}

class LineReader {
  rowsRead = 0;
  private line = 0;

  get linesRead(): number {
    return this.line;
  }
  private width = -1;
  private first = true;

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

  /** Pushes the kept fields of one row into their builders; returns how many fields the row has. */
  private readRow(bytes: Buffer, start: number, end: number): number {
    const builders = this.sink.builders;
    const delimiter = this.delimiter;
    let field = 0;
    let s = start;
    for (;;) {
      // A loop over the bytes, not Buffer.indexOf: a native call per field costs more than the scan.
      let e = s;
      while (e < end && bytes[e] !== delimiter) e++;
      const builder = builders[field];
      if (builder) pushField(builder, bytes, s, e);
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

function pushField(builder: ColumnBuilder, bytes: Buffer, from: number, to: number): void {
  let s = from;
  let e = to;
  while (s < e && isBlank(bytes[s])) s++;
  while (e > s && isBlank(bytes[e - 1])) e--;
  if (s === e) {
    builder.push("");
    return;
  }
  if (builder.isText()) {
    builder.push(bytes.toString("utf8", s, e));
    return;
  }
  const parsed = plainDecimal(bytes, s, e);
  if (parsed === undefined) builder.push(bytes.toString("utf8", s, e));
  else builder.pushParsedNumber(parsed.value, parsed.canonical ? undefined : bytes.toString("latin1", s, e));
}

const parsed = { value: 0, canonical: false };

/**
 * A field that is a plain decimal (`-12.5`, `3`, `.25`) of at most 15 digits, read from its bytes:
 * the digits as an integer, exact, divided once by a power of ten, which rounds exactly as
 * `Number(text)` does. `canonical`: the text is how JavaScript prints the value (no leading or
 * trailing zeros, no "-0"), so it need not be kept. Undefined for anything else (exponents,
 * "NaN", text), which the caller reads the slow way.
 */
function plainDecimal(bytes: Buffer, s: number, e: number): typeof parsed | undefined {
  let i = s;
  const negative = bytes[i] === MINUS;
  if (negative) i++;
  let integer = 0;
  let digits = 0;
  const integerStart = i;
  while (i < e && bytes[i] >= ZERO && bytes[i] <= NINE) integer = integer * 10 + (bytes[i++] - ZERO);
  const integerDigits = i - integerStart;
  digits += integerDigits;
  let fractionDigits = 0;
  if (i < e && bytes[i] === DOT) {
    i++;
    const fractionStart = i;
    while (i < e && bytes[i] >= ZERO && bytes[i] <= NINE) integer = integer * 10 + (bytes[i++] - ZERO);
    fractionDigits = i - fractionStart;
    digits += fractionDigits;
    if (fractionDigits === 0) return undefined;
  }
  if (i !== e || digits === 0 || digits > MAX_FAST_DIGITS) return undefined;
  const magnitude = fractionDigits ? integer / POWERS_OF_TEN[fractionDigits] : integer;
  parsed.value = negative ? -magnitude : magnitude;
  const leadingZero = bytes[integerStart] === ZERO && integerDigits > 1;
  const trailingZero = fractionDigits > 0 && bytes[e - 1] === ZERO;
  parsed.canonical =
    integerDigits > 0 && !leadingZero && !trailingZero && !(negative && magnitude === 0) && (magnitude === 0 || magnitude >= SMALLEST_PLAIN);
  return parsed;
}
