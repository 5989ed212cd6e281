import { DOT, MINUS, NINE, ZERO } from "./charCodes";

/** Longer texts may hold more significant digits than a double keeps. */
const MAX_SAFE_LENGTH = 15;
/** 0.0000001 prints as "1e-7": six zeros after the point switch JavaScript to exponent form. */
const EXPONENT_FORM_ZEROS = 6;

/**
 * True when `String(Number(text)) === text` is certain, checked character by character because
 * formatting a number back is the slowest step of loading a large file. False may be wrong (then
 * the raw text is merely kept), true never is: a plain decimal without leading or trailing zeros and
 * at most 15 characters is exactly how JavaScript prints its value.
 */
export function isCanonicalNumberText(text: string): boolean {
  const n = text.length;
  if (n === 0 || n > MAX_SAFE_LENGTH) return false;
  const start = text.charCodeAt(0) === MINUS ? 1 : 0;
  const integerEnd = skipDigits(text, start);
  const integerDigits = integerEnd - start;
  const leadsWithZero = text.charCodeAt(start) === ZERO;
  if (integerDigits === 0 || (integerDigits > 1 && leadsWithZero)) return false;
  if (integerEnd === n) return !(leadsWithZero && start === 1); // "-0" prints as "0"
  return isCanonicalFraction(text, integerEnd, leadsWithZero);
}

/** ".5" is fine, "." , ".50" (trailing zero) and "0.0000001" (printed as 1e-7) are not. */
function isCanonicalFraction(text: string, dot: number, integerIsZero: boolean): boolean {
  if (text.charCodeAt(dot) !== DOT) return false;
  const end = skipDigits(text, dot + 1);
  if (end !== text.length || end === dot + 1 || text.charCodeAt(end - 1) === ZERO) return false;
  return !(integerIsZero && skipZeros(text, dot + 1) - (dot + 1) >= EXPONENT_FORM_ZEROS);
}

function skipDigits(text: string, from: number): number {
  let i = from;
  while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  return i;
}

function skipZeros(text: string, from: number): number {
  let i = from;
  while (i < text.length && text.charCodeAt(i) === ZERO) i++;
  return i;
}

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}
