import { DOT, LOWER_E, MINUS, PLUS, UPPER_E, ZERO } from "./charCodes";

/**
 * Reads a decimal number ("-12.5", "3", ".25", "0.8636395423774497", "1.5e-7") straight from a
 * file's bytes, with exactly the result `Number(text)` gives, without making a string: the CSV
 * reader's hot path (a string and V8's string-to-number per cell cost several times more).
 *
 * Up to 19 significant digits and a power of ten within ±22 are handled; anything else (more
 * digits, larger exponents, "NaN", "0x10", spaces) returns NaN — never a value a decimal reads as —
 * and the caller converts that text with Number().
 *
 * Why the result is exact:
 * - The digits as an integer w ≤ 2^53 and 10^k (k ≤ 22) are exact doubles, so one division or one
 *   multiplication rounds once, correctly (Clinger's fast path, which V8 uses too).
 * - 16 to 19 digits (what JavaScript and Python print for a double, "0.8636395423774497"): w is
 *   kept as an exact sum of two doubles and divided in double-double arithmetic (error below
 *   2^-100 of the value), then rounded. The rounding is right unless the quotient lies within that
 *   error of the midpoint between two doubles; those rare cases return NaN for Number() to decide.
 */

/** Digits kept in the first part: 10^15 < 2^53, exact. */
const HEAD_DIGITS = 15;
/** Significant digits read at most (head + tail < 10^19 < 2^64). */
const MAX_DIGITS = 19;
const MAX_POWER = 22;
const TWO_53 = 2 ** 53;
/** 10^0 … 10^22: every one an exact double. */
const POWERS_OF_TEN = Array.from({ length: MAX_POWER + 1 }, (_, k) => 10 ** k);
/** Veltkamp's splitter for 53-bit doubles: 2^27 + 1. */
const SPLITTER = 134217729;
/** Margin to the midpoint, in units of the last place, below which we let Number() decide. */
const MIDPOINT_MARGIN = 2 ** -30;

/** The number `bytes[start, end)` spells, or NaN when this reader does not handle the spelling. */
export function decimalFromBytes(bytes: Uint8Array, start: number, end: number): number {
  const value = scanner.read(bytes, start, end);
  return scanner.stop === end ? value : NaN;
}

/**
 * Reads the number at the start of `bytes[start, end)` and says where it stopped (`stop`): the
 * CSV reader reads a cell's number and finds the cell's end in one pass.
 */
export class DecimalScanner {
  /** Where the last read stopped: the first byte that cannot continue a number. */
  stop = 0;

  /**
   * The number spelled from `start` to `stop`, or NaN (no number, or one this reader leaves to Number()).
   * One function with its digits in locals on purpose: split into helpers keeping them in fields, it
   * took 11% more CPU on 2 M cells (the lint's complexity limit is the price).
   */
  // eslint-disable-next-line complexity -- one function on purpose, measured: see above.
  read(bytes: Uint8Array, start: number, end: number): number {
    let i = start;
    const sign = i < end ? bytes[i] : 0;
    const negative = sign === MINUS;
    if (negative || sign === PLUS) i++;
    const digitsStart = i;
    while (i < end && bytes[i] === ZERO) i++;
    let head = 0;
    let tail = 0;
    let tailDigits = 0;
    let significant = 0;
    let scale = 0;
    let digit: number;
    for (; i < end && (digit = bytes[i] - ZERO) >>> 0 <= 9; i++) {
      if (significant < HEAD_DIGITS) head = head * 10 + digit;
      else if (significant < MAX_DIGITS) {
        tail = tail * 10 + digit;
        tailDigits++;
      } else significant = MAX_DIGITS + 1;
      significant++;
    }
    let digits = i - digitsStart;
    if (i < end && bytes[i] === DOT) {
      const fractionStart = ++i;
      if (significant === 0) while (i < end && bytes[i] === ZERO) i++;
      for (; i < end && (digit = bytes[i] - ZERO) >>> 0 <= 9; i++) {
        if (significant < HEAD_DIGITS) head = head * 10 + digit;
        else if (significant < MAX_DIGITS) {
          tail = tail * 10 + digit;
          tailDigits++;
        } else significant = MAX_DIGITS + 1;
        significant++;
      }
      scale = i - fractionStart;
      digits += scale;
    }
    let valid = digits > 0 && significant <= MAX_DIGITS;
    if (i < end && (bytes[i] === LOWER_E || bytes[i] === UPPER_E)) {
      i++;
      // (Guarded: a scanner bounded by `end` never looks at the byte after it.)
      const exponentNegative = i < end && bytes[i] === MINUS;
      if (exponentNegative || (i < end && bytes[i] === PLUS)) i++;
      const exponentStart = i;
      let exponent = 0;
      for (; i < end && (digit = bytes[i] - ZERO) >>> 0 <= 9; i++) exponent = exponent * 10 + digit;
      // "1e" or "1e+" is no number; more than three digits are out of range anyway.
      if (i === exponentStart || i - exponentStart > 3) valid = false;
      scale -= exponentNegative ? -exponent : exponent;
    }
    this.stop = i;
    if (!valid) return NaN;
    const magnitude = scaled(head, tail, tailDigits, scale);
    return negative ? -magnitude : magnitude;
  }
}

/** One scanner for decimalFromBytes(): used within one synchronous call, never across an await. */
const scanner = new DecimalScanner();
/** (head · 10^tailDigits + tail) / 10^scale, correctly rounded, or NaN. */
function scaled(head: number, tail: number, tailDigits: number, scale: number): number {
  if (scale > MAX_POWER || scale < -MAX_POWER) return head === 0 && tail === 0 ? 0 : NaN;
  const multiplier = POWERS_OF_TEN[tailDigits];
  const whole = head * multiplier + tail;
  if (whole < TWO_53) {
    // An exact integer (the sum cannot have rounded below 2^53): one correctly rounded operation.
    return scale >= 0 ? whole / POWERS_OF_TEN[scale] : whole * POWERS_OF_TEN[-scale];
  }
  if (scale < 0) return NaN;
  return dividedExactly(head, multiplier, tail, POWERS_OF_TEN[scale]);
}

/** (head · multiplier + tail) / divisor for a numerator above 2^53, in double-double arithmetic. */
function dividedExactly(head: number, multiplier: number, tail: number, divisor: number): number {
  // head · multiplier = product + productError, exactly (Dekker's two-product).
  const product = head * multiplier;
  const productError = twoProductError(head, multiplier, product);
  // + tail: high + low, exactly (Knuth's two-sum), then the small parts together.
  const high = product + tail;
  const virtual = high - product;
  const low = product - (high - virtual) + (tail - virtual) + productError;
  // (high + low) / divisor: a first quotient and the remainder's quotient.
  const first = high / divisor;
  const back = first * divisor;
  const backError = twoProductError(first, divisor, back);
  const second = (high - back - backError + low) / divisor;
  const rounded = first + second;
  const leftOver = second - (rounded - first);
  return nearMidpoint(rounded, leftOver) ? NaN : rounded;
}

/** The rounding error of `a · b`, whose rounded value is `product`: a · b = product + error exactly. */
function twoProductError(a: number, b: number, product: number): number {
  const aSplit = SPLITTER * a;
  const aHigh = aSplit - (aSplit - a);
  const aLow = a - aHigh;
  const bSplit = SPLITTER * b;
  const bHigh = bSplit - (bSplit - b);
  const bLow = b - bHigh;
  return aHigh * bHigh - product + aHigh * bLow + aLow * bHigh + aLow * bLow;
}

/**
 * The bits of one double, read by nearMidpoint(): written and read in one synchronous call, never
 * across an await, so sharing it is safe. (Math.log2 for the exponent cost a third of the reading.)
 */
const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
/** The unit in the last place of a normal double, by its biased exponent field. */
const UNIT_BY_EXPONENT = Float64Array.from({ length: 2048 }, (_, field) => 2 ** (field - 1075));

/**
 * True when `value + leftOver` (the exact quotient, within 2^-100 of it) is too close to halfway
 * between `value` and its neighbour to be sure of the rounding; also for powers of two (whose lower
 * neighbour is nearer) and values out of the normal range, all rare.
 */
function nearMidpoint(value: number, leftOver: number): boolean {
  scratch[0] = value;
  const high = scratchWords[HIGH_WORD];
  const field = (high >>> 20) & 0x7ff;
  if (field === 0 || field === 0x7ff) return true;
  if ((high & 0xfffff) === 0 && scratchWords[1 - HIGH_WORD] === 0) return true;
  const unit = UNIT_BY_EXPONENT[field];
  return Math.abs(Math.abs(leftOver) - unit / 2) <= unit * MIDPOINT_MARGIN;
}
