import type { ColumnBuilder } from "./columnBuilder";
import { blanksFor, CR, LF, QUOTE, quotedText, unquotedText } from "./csvBytes";
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
  /** For the header: every field's text. */
  texts: (string | null)[] = [];
  private numbers = new Float64Array(0);
  private readonly scanner = new DecimalScanner();
  private readonly blanks: Uint8Array;

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
    let firstBlank = false;
    this.newlines = 0;
    if (!builders) this.texts = [];
    for (;;) {
      const builder = builders?.[field];
      const kept = builder !== undefined || !builders;
      let s = pos;
      while (s < limit && this.blanks[bytes[s]] === 1) s++;
      let e: number;
      if (s < limit && bytes[s] === QUOTE) {
        e = this.quoted(bytes, s, limit, atEnd, field, kept, builder !== undefined && !builder.isText());
        if (e < 0) return e;
      } else {
        e = this.unquoted(bytes, pos, s, limit, field, kept, builder !== undefined && !builder.isText());
        if (e === GIVE_UP) return e;
        if (field === 0) firstBlank = s === e || (bytes[s] >= 0x80 && unquotedText(bytes, pos, e) === "");
      }
      field++;
      // e is at a delimiter, a line end or the end of the bytes.
      if (e >= limit) return atEnd ? this.ended(field, firstBlank, limit) : NEED_MORE;
      const byte = bytes[e];
      if (byte === delimiter) {
        pos = e + 1;
        continue;
      }
      if (byte === LF) return this.ended(field, firstBlank, e + 1);
      // A CR: the end of a CRLF line, or at the very end of the file (csv-parse trims it).
      if (e + 1 < limit) return bytes[e + 1] === LF ? this.ended(field, firstBlank, e + 2) : GIVE_UP;
      return atEnd ? this.ended(field, firstBlank, limit) : NEED_MORE;
    }
  }

  private ended(fields: number, firstBlank: boolean, at: number): number {
    this.fields = fields;
    this.blank = fields === 1 && firstBlank;
    return at;
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
    let close = open + 1;
    let value = NaN;
    let doubled = false;
    // The usual quoted number ("1.5"): read it and find its closing quote in one pass.
    if (numeric) {
      value = this.scanner.read(bytes, close, limit);
      close = this.scanner.stop;
      if (bytes[close] !== QUOTE || bytes[close + 1] === QUOTE) {
        value = NaN;
        close = open + 1;
      }
    }
    if (value !== value) {
      for (;;) {
        let byte: number;
        while (close < limit && (byte = bytes[close]) !== QUOTE) {
          if (byte === LF) this.newlines++;
          close++;
        }
        // An unclosed quote at the end of the file: csv-parse's error names the line it opened on.
        if (close >= limit) return atEnd ? GIVE_UP : NEED_MORE;
        if (close + 1 >= limit && !atEnd) return NEED_MORE;
        if (bytes[close + 1] !== QUOTE) break;
        doubled = true;
        close += 2;
      }
    }
    let e = close + 1;
    while (e < limit && this.blanks[bytes[e]] === 1) e++;
    // Anything but a delimiter or a line end after the closing quote is csv-parse's error to name.
    if (e < limit && bytes[e] !== this.delimiter && bytes[e] !== LF && bytes[e] !== CR) return GIVE_UP;
    if (kept) {
      if (value === value) {
        this.numbers[field] = value;
        this.texts[field] = null;
      } else this.texts[field] = quotedText(bytes, open + 1, close, doubled);
    }
    return e;
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
