import type { ColumnBuilder } from "./columnBuilder";
import { CR, LF, QUOTE } from "./charCodes";
import { blanksFor, quotedText, unquotedText } from "./csvBytes";
import { DecimalScanner } from "./decimalBytes";

/** parse(): the record goes on past the bytes read so far. */
export const NEED_MORE = -1;
/** parse(): quoting csv-parse refuses (its error names the line) or a lone CR: csv-parse reads the file. */
export const GIVE_UP = -2;

/**
 * Reads one CSV record with RFC 4180 quoting, as csv-parse reads it with CsvFile's options: a
 * field may be quoted (delimiters, line breaks and doubled quotes inside, spaces around the quotes
 * trimmed, the text inside kept as written); an unquoted field is trimmed. Numbers, quoted
 * ("1.5", as QUOTE_ALL writes them) or not, are read straight from the bytes.
 *
 * A record may end beyond the bytes read so far, so its fields are staged and handed to the
 * columns only once it is complete (`commit`): nothing has to be taken back.
 */
export class RecordParser {
  /** Fields in the last record parsed, and line breaks inside its quoted fields. */
  fields = 0;
  newlines = 0;
  /** The last record was a line of spaces (csv-parse skips it like an empty line). */
  blank = false;
  /** The staged fields: a text, or null for the number staged in `numbers` (the header: every name). */
  texts: (string | null)[] = [];
  private numbers = new Float64Array(0);
  private readonly scanner = new DecimalScanner();
  private readonly blanks: Uint8Array;
  /** closingQuote()'s findings about the field it closed. */
  private quotedNumber = NaN;
  private doubledQuotes = false;
  /** The record's first field is unquoted and blank. */
  private firstBlank = false;

  constructor(private readonly delimiter: number) {
    this.blanks = blanksFor(delimiter);
  }

  /** Sizes the staging for rows of `width` fields. */
  setWidth(width: number): void {
    this.numbers = new Float64Array(width);
    this.texts = new Array<string | null>(width).fill(null);
  }

  /**
   * Parses the record starting at `start` (not an empty line) in `bytes`, staging the fields of
   * `builders` (every field, as text, when it is undefined: the header). Returns the offset after
   * its line end, NEED_MORE or GIVE_UP.
   */
  parse(bytes: Buffer, start: number, atEnd: boolean, builders: readonly (ColumnBuilder | undefined)[] | undefined): number {
    const limit = bytes.length;
    const delimiter = this.delimiter;
    let field = 0;
    let pos = start;
    this.newlines = 0;
    if (!builders) this.texts = [];
    for (;;) {
      const e = this.field(bytes, pos, atEnd, field, builders);
      if (e < 0) return e;
      field++;
      if (e < limit && bytes[e] === delimiter) {
        pos = e + 1;
        continue;
      }
      const end = recordEnd(bytes, e, atEnd);
      if (end >= 0) {
        this.fields = field;
        this.blank = field === 1 && this.firstBlank;
      }
      return end;
    }
  }

  /** Stages the field at `pos` and returns where it ends (a delimiter, line end or the end of the bytes), or NEED_MORE / GIVE_UP. */
  private field(bytes: Buffer, pos: number, atEnd: boolean, field: number, builders: readonly (ColumnBuilder | undefined)[] | undefined): number {
    const limit = bytes.length;
    const builder = builders?.[field];
    const kept = builder !== undefined || !builders;
    const numeric = builder !== undefined && !builder.isText();
    let s = pos;
    while (s < limit && this.blanks[bytes[s]] === 1) s++;
    if (s < limit && bytes[s] === QUOTE) return this.quoted(bytes, s, limit, atEnd, field, kept, numeric);
    const e = this.unquoted(bytes, pos, s, limit, field, kept, numeric);
    if (field === 0) this.firstBlank = s === e || (bytes[s] >= 0x80 && unquotedText(bytes, pos, e) === "");
    return e;
  }

  /** Hands the staged fields of a complete row to their columns. */
  commit(builders: readonly (ColumnBuilder | undefined)[], kept: readonly number[]): void {
    const texts = this.texts;
    for (let k = 0; k < kept.length; k++) {
      const index = kept[k];
      const text = texts[index];
      const builder = builders[index] as ColumnBuilder;
      if (text === null) builder.pushReadNumber(this.numbers[index]);
      else builder.push(text);
    }
  }

  /**
   * A quoted field opening at `open`: stages it and returns the offset after it and the spaces
   * that follow (a delimiter, line end or the end of the bytes), or NEED_MORE / GIVE_UP.
   */
  private quoted(bytes: Buffer, open: number, limit: number, atEnd: boolean, field: number, kept: boolean, numeric: boolean): number {
    const close = this.closingQuote(bytes, open, limit, atEnd, numeric);
    if (close < 0) return close;
    let e = close + 1;
    while (e < limit && this.blanks[bytes[e]] === 1) e++;
    // Anything but a delimiter or a line end after the closing quote is csv-parse's error to name.
    if (e < limit && bytes[e] !== this.delimiter && bytes[e] !== LF && bytes[e] !== CR) return GIVE_UP;
    if (kept) {
      const value = this.quotedNumber;
      if (value === value) {
        this.numbers[field] = value;
        this.texts[field] = null;
      } else this.texts[field] = quotedText(bytes, open + 1, close, this.doubledQuotes);
    }
    return e;
  }

  /**
   * The closing quote of the field opening at `open` (or NEED_MORE / GIVE_UP); sets quotedNumber
   * (NaN unless the field is a number read on the way) and doubledQuotes.
   */
  private closingQuote(bytes: Buffer, open: number, limit: number, atEnd: boolean, numeric: boolean): number {
    this.doubledQuotes = false;
    // The usual quoted number ("1.5"): read it and find its closing quote in one pass.
    if (numeric) {
      const value = this.scanner.read(bytes, open + 1, limit);
      const stop = this.scanner.stop;
      if (value === value && bytes[stop] === QUOTE && bytes[stop + 1] !== QUOTE) {
        this.quotedNumber = value;
        return stop;
      }
    }
    this.quotedNumber = NaN;
    let close = open + 1;
    for (;;) {
      let byte: number;
      while (close < limit && (byte = bytes[close]) !== QUOTE) {
        if (byte === LF) this.newlines++;
        close++;
      }
      // An unclosed quote at the end of the file: csv-parse's error names the line it opened on.
      if (close >= limit) return atEnd ? GIVE_UP : NEED_MORE;
      if (close + 1 >= limit && !atEnd) return NEED_MORE;
      if (bytes[close + 1] !== QUOTE) return close;
      this.doubledQuotes = true;
      close += 2;
    }
  }

  /**
   * An unquoted field from `from` (its first byte that is not a space at `s`): stages it and
   * returns where it ends, or GIVE_UP for a quote inside it or a lone CR.
   */
  private unquoted(bytes: Buffer, from: number, s: number, limit: number, field: number, kept: boolean, numeric: boolean): number {
    const delimiter = this.delimiter;
    let e = s;
    let value = NaN;
    if (numeric) {
      value = this.scanner.read(bytes, s, limit);
      e = this.scanner.stop;
    }
    let byte = e < limit ? bytes[e] : delimiter;
    if (byte !== delimiter && byte !== LF && byte !== CR) {
      value = NaN;
      while (e < limit && (byte = bytes[e]) !== delimiter && byte !== LF && byte !== CR) {
        // A quote inside an unquoted field is csv-parse's error ("Invalid Opening Quote").
        if (byte === QUOTE) return GIVE_UP;
        e++;
      }
    }
    if (kept) {
      if (value === value) {
        this.numbers[field] = value;
        this.texts[field] = null;
      } else this.texts[field] = unquotedText(bytes, from, e);
    }
    return e;
  }
}

/** Where a record whose last field ends at `e` (a line end or the end of the bytes) ends, or NEED_MORE / GIVE_UP. */
function recordEnd(bytes: Buffer, e: number, atEnd: boolean): number {
  const limit = bytes.length;
  if (e >= limit) return atEnd ? limit : NEED_MORE;
  if (bytes[e] === LF) return e + 1;
  // A CR: the end of a CRLF line, or at the very end of the file (csv-parse trims it); a lone CR is csv-parse's.
  if (e + 1 < limit) return bytes[e + 1] === LF ? e + 2 : GIVE_UP;
  return atEnd ? limit : NEED_MORE;
}
