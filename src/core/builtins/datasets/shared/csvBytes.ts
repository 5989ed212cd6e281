import { FORM_FEED, SPACE, TAB, VERTICAL_TAB } from "./charCodes";

/**
 * Bytes and texts of CSV fields as csv-parse gives them with CsvFile's options (`trim: true`):
 * shared by the lean path's plain rows and its quote-aware records (fastCsv.ts, csvRecord.ts).
 */

/** First bytes of the multi-byte spaces String.prototype.trim removes (U+00A0, U+1680, U+2000…, U+3000, U+FEFF). */
const WIDE_SPACE_LEADS = new Set([0xc2, 0xe1, 0xe2, 0xe3, 0xef]);

/** A one-byte space csv-parse trims around a field (it trims CR and LF too, which end lines here). */
export function isBlank(byte: number): boolean {
  return byte === SPACE || byte === TAB || byte === FORM_FEED || byte === VERTICAL_TAB;
}

/**
 * An unquoted field's text, trimmed as csv-parse trims it: the ECMAScript white space of
 * String.prototype.trim, which includes multi-byte spaces such as U+00A0.
 */
export function unquotedText(bytes: Buffer, from: number, to: number): string {
  let s = from;
  let e = to;
  while (s < e && isBlank(bytes[s])) s++;
  while (e > s && isBlank(bytes[e - 1])) e--;
  const text = bytes.toString("utf8", s, e);
  return s < e && (bytes[s] >= 0x80 || bytes[e - 1] >= 0x80) ? text.trim() : text;
}

/** A quoted field's text (between its quotes): kept as written, a doubled quote read as one. */
export function quotedText(bytes: Buffer, from: number, to: number, doubledQuotes: boolean): string {
  const text = bytes.toString("utf8", from, to);
  return doubledQuotes ? text.replaceAll('""', '"') : text;
}

/**
 * The one-byte spaces trimmed around fields of a file with this delimiter: not the delimiter
 * itself (a tab in a TSV file separates fields, as csv-parse reads it).
 */
export function blanksFor(delimiter: number): Uint8Array {
  const blanks = new Uint8Array(256);
  for (const byte of [SPACE, TAB, FORM_FEED, VERTICAL_TAB]) if (byte !== delimiter) blanks[byte] = 1;
  return blanks;
}

/** True for a line of spaces only (`blanks` from blanksFor), which csv-parse skips like an empty line. */
export function isBlankLine(bytes: Buffer, from: number, to: number, blanks: Uint8Array): boolean {
  let s = from;
  while (s < to && blanks[bytes[s]] === 1) s++;
  if (s === to) return true;
  return WIDE_SPACE_LEADS.has(bytes[s]) && bytes.toString("utf8", s, to).trim() === "";
}
