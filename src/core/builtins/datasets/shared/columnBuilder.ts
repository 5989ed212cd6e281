import type { Column } from "../../../data/dataset";
import { MlexpError } from "../../../util/errors";
import { isCanonicalNumberText } from "./numberText";
import { sharedCopy, sharedFloat64 } from "./sharedColumn";

const INITIAL_CAPACITY = 1024;
/** Distinct texts worth sharing; past this a column looks like free text or identifiers. */
const MAX_INTERNED = 65_536;
/**
 * A numeric column may hold a few cells that are not numbers (a typo such as "9-0.297"): up to this
 * share of its present values, they are reported as invalid cells rather than turning the column
 * into text (and a single typo into thousands of one-hot columns).
 */
export const MAX_INVALID_SHARE = 0.05;
/** Invalid cells remembered before the share is checked: a text column gives up after this many. */
const MIN_INVALID_KEPT = 16;

/** Cells of a numeric column that are not numbers: their rows (0-based) and texts. */
export interface InvalidCells {
  rows: number[];
  texts: string[];
}

/**
 * Builds one column value by value, with the same typing rule as `inferColumn` in
 * src/core/data/dataset.ts (numeric when every present value reads as a finite number; otherwise
 * strings, missing = null; but an infinity such as "inf" among numbers is refused, where
 * inferColumn would make the column text), without keeping every raw value around: a numeric
 * column costs 8 bytes a row while it is read, which is what lets a 200 MB file load in about its own size.
 *
 * When a column turns out not to be numeric after all, the values already read must come back as
 * the text they were given ("1.50", "007", not "1.5", "7"), so the raw texts that `String(number)`
 * would not reproduce are remembered on the side (few, in typical data).
 */
export class ColumnBuilder {
  private numbers: Float64Array | undefined = new Float64Array(INITIAL_CAPACITY);
  /** Rows (and their raw texts) whose value `String(number)` would not give back exactly. */
  private rawRows: number[] = [];
  private rawTexts: string[] = [];
  private strings: (string | null)[] | undefined;
  /**
   * One string object per distinct text: a parser hands out a fresh copy of "red" on every row,
   * and a categorical column of millions of rows would otherwise hold millions of copies.
   */
  private readonly interned = new Map<string, string>();
  private count = 0;
  private present = 0;
  /** Only with `tolerateInvalid`: rows of a numeric column holding text that is not a number. */
  private invalid: InvalidCells = { rows: [], texts: [] };
  /** The first value reading as an infinity ("inf", "-Infinity"), and whether any text is no number at all. */
  private infinity: { row: number; text: string } | undefined;
  private hasText = false;
  /** Numbers pushed by pushReadNumber (without their texts), and whether a switch to text lost them. */
  private textless = 0;
  private textsLost = false;

  /**
   * @param tolerateInvalid keep a column numeric through a few cells that are not numbers (see
   * MAX_INVALID_SHARE), reporting them by `invalidCells()`; without it the first such cell makes
   * the column text.
   */
  constructor(
    readonly name: string,
    private readonly tolerateInvalid = false,
  ) {}

  /** Appends one raw value (text from a file, a JSON or SQL value). */
  push(raw: unknown): void {
    if (!this.hasText && this.strings && !isMissing(raw)) this.noteText(raw);
    if (this.strings) {
      this.strings.push(isMissing(raw) ? null : this.intern(String(raw)));
      this.count++;
      return;
    }
    const numeric = asNumber(raw);
    if (numeric === undefined) {
      this.noteText(raw);
      if (this.tolerateInvalid && this.invalid.rows.length < Math.max(MIN_INVALID_KEPT, this.present * MAX_INVALID_SHARE)) {
        this.invalid.rows.push(this.count);
        this.invalid.texts.push(String(raw));
        this.present++;
        this.pushNumber(NaN, raw);
        return;
      }
      this.switchToStrings();
      this.push(raw);
      return;
    }
    if (!Number.isNaN(numeric)) this.present++;
    this.pushNumber(numeric, raw);
  }

  /** Room for `rows` values in a numeric column (an estimate; the column still grows past it). */
  reserve(rows: number): void {
    const numbers = this.numbers;
    if (!numbers || rows <= numbers.length) return;
    const grown = sharedFloat64(rows);
    grown.set(numbers.subarray(0, this.count));
    this.numbers = grown;
  }

  /** True once the column is text: the fast CSV path then hands it text without parsing numbers. */
  isText(): boolean {
    return this.strings !== undefined;
  }

  /**
   * Appends a number its caller read from text (the lean CSV path), without that text: should the
   * column turn to text later, `lostTexts` says so and the caller reads the file again with the
   * column text from the start (`startAsText`). Keeping every text that `String(value)` would not
   * give back ("0.8636395423774497" is one, "1.50" another) costs a string a cell.
   */
  pushReadNumber(value: number): void {
    this.textless++;
    this.present++;
    this.pushValue(value);
  }

  /** Makes an empty column text from its first value (a column whose numbers lost their texts before). */
  startAsText(): void {
    if (this.count > 0) throw new Error("startAsText() on a column that already holds values");
    this.strings = [];
    this.numbers = undefined;
  }

  /** True when the column turned to text after numbers pushed without their texts: its values are wrong. */
  get lostTexts(): boolean {
    return this.textsLost;
  }

  /** Appends missing values until the column holds `length` values (for keys absent from a row). */
  padTo(length: number): void {
    while (this.count < length) this.push(null);
  }

  /**
   * The cells that are not numbers in a column that is numeric otherwise (empty for a text column).
   * Call after `build()`, which turns a column with too many of them into text.
   */
  invalidCells(): InvalidCells {
    return this.strings ? { rows: [], texts: [] } : this.invalid;
  }

  build(): Column {
    if (!this.strings && this.invalid.rows.length > this.present * MAX_INVALID_SHARE) this.switchToStrings();
    if (this.strings && !this.hasText && this.infinity) throw infiniteValue(this.name, this.infinity);
    if (this.strings) return { name: this.name, kind: "string", values: this.strings };
    const numbers = this.numbers as Float64Array;
    // Copied to its exact length (in shared memory: sharedColumn.ts) unless the spare room of a
    // shared (reserved) column is small: no second copy of a large column.
    const spareIsSmall = numbers.buffer instanceof SharedArrayBuffer && numbers.length - this.count <= numbers.length / 8;
    const values = spareIsSmall ? numbers.subarray(0, this.count) : sharedCopy(numbers, this.count);
    return { name: this.name, kind: "number", values };
  }

  private pushNumber(value: number, raw: unknown): void {
    if (needsRawText(value, raw)) {
      this.rawRows.push(this.count);
      this.rawTexts.push(String(raw));
    }
    this.pushValue(value);
  }

  private pushValue(value: number): void {
    let numbers = this.numbers as Float64Array;
    if (this.count === numbers.length) {
      const grown = new Float64Array(numbers.length * 2);
      grown.set(numbers);
      numbers = this.numbers = grown;
    }
    numbers[this.count++] = value;
  }

  /** Tells an infinity in a column of numbers (refused in build) from a real text value. */
  private noteText(raw: unknown): void {
    if (asNumber(raw) !== undefined) return;
    if (INFINITY.test(String(raw))) this.infinity ??= { row: this.count, text: String(raw) };
    else this.hasText = true;
  }

  private intern(text: string): string {
    const shared = this.interned.get(text);
    if (shared !== undefined) return shared;
    if (this.interned.size < MAX_INTERNED) this.interned.set(text, text);
    return text;
  }

  private switchToStrings(): void {
    if (this.textless > 0) this.textsLost = true;
    const numbers = this.numbers as Float64Array;
    const strings: (string | null)[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) strings[i] = Number.isNaN(numbers[i]) ? null : String(numbers[i]);
    this.rawRows.forEach((row, k) => (strings[row] = this.rawTexts[k]));
    this.invalid.rows.forEach((row, k) => (strings[row] = this.intern(this.invalid.texts[k])));
    this.invalid = { rows: [], texts: [] };
    this.strings = strings;
    this.numbers = undefined;
    this.rawRows = [];
    this.rawTexts = [];
  }
}

const INFINITY = /^\s*[+-]?(inf|infinity)\s*$/i;

/** A column of numbers with "inf" in it would otherwise silently become a column of categories. */
function infiniteValue(column: string, at: { row: number; text: string }): MlexpError {
  return new MlexpError(
    `Column "${column}" holds numbers, but ${JSON.stringify(at.text)} in data row ${at.row + 1} is infinite: mlexp cannot train on it, and it would turn the column into categories.`,
    "invalid_data",
    "Replace it with a finite number, or leave the cell empty to mark it missing.",
  );
}

function isMissing(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (typeof value === "number" && Number.isNaN(value));
}

/** The value as a number (NaN when missing), or undefined when it makes the column a string one. */
function asNumber(raw: unknown): number | undefined {
  if (isMissing(raw)) return NaN;
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === "boolean") return raw ? 1 : 0;
  if (typeof raw !== "string") return undefined;
  const value = Number(raw);
  // Number("  ") is 0, but a blank text is not a number for inferColumn.
  if (!Number.isFinite(value) || (value === 0 && raw.trim() === "")) return undefined;
  return value;
}

function needsRawText(value: number, raw: unknown): boolean {
  if (typeof raw === "number" || Number.isNaN(value)) return false;
  return typeof raw !== "string" || !isCanonicalNumberText(raw);
}
