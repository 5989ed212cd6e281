import { describe, expect, it } from "vitest";
import { DecimalScanner, decimalFromBytes } from "../../../src/core/builtins/datasets/shared/decimalBytes";
import { Rng } from "../../../src/core/util/random";

/** What the reader gives for a text: a number, or NaN for "let Number() decide". */
function read(text: string): number {
  const bytes = Buffer.from(`,${text},`, "latin1");
  return decimalFromBytes(bytes, 1, bytes.length - 1);
}

/** Read exactly as Number() reads it (same bits, -0 included), or handed back (NaN). */
function agreesWithNumber(text: string): { handled: boolean; same: boolean } {
  const value = read(text);
  if (Number.isNaN(value)) return { handled: false, same: true };
  return { handled: true, same: Object.is(value, Number(text)) };
}

function randomDigits(rng: Rng, count: number): string {
  return Array.from({ length: count }, () => String(rng.int(10))).join("");
}

describe("decimalFromBytes", () => {
  it("reads the spellings JavaScript, Python and toFixed write, to the last bit", () => {
    const rng = new Rng(7);
    let handled = 0;
    const texts: string[] = [];
    for (let i = 0; i < 40_000; i++) {
      const x = (rng.next() - 0.5) * 10 ** rng.int(16) * 10 ** -rng.int(8);
      texts.push(String(x), x.toFixed(rng.int(12)), x.toPrecision(1 + rng.int(19)), x.toExponential(rng.int(18)));
      const digits = randomDigits(rng, 1 + rng.int(19));
      const at = rng.int(digits.length + 1);
      texts.push(`${digits.slice(0, at)}.${digits.slice(at)}`, `-${digits}`, `${digits}e-${rng.int(25)}`);
    }
    for (const text of texts) {
      const { handled: read, same } = agreesWithNumber(text);
      expect(same, text).toBe(true);
      if (read) handled++;
    }
    // Nearly all are read here, not handed to Number(): that is the point of the reader.
    expect(handled / texts.length).toBeGreaterThan(0.9);
  });

  it("reads every full-precision double between 1e-4 and 1e5 as its shortest text spells it", () => {
    const rng = new Rng(8);
    for (let i = 0; i < 50_000; i++) {
      const x = (rng.next() < 0.5 ? -1 : 1) * (1 + rng.next() * 9) * 10 ** (rng.int(9) - 4);
      expect(read(String(x)), String(x)).toBe(x);
    }
  });

  it("hands exact midpoints between two doubles to Number(), and agrees next to them", () => {
    const rng = new Rng(9);
    for (let i = 0; i < 5000; i++) {
      const shift = 2 + rng.int(9);
      const mantissa = BigInt(2 ** 52 + rng.int(2 ** 30) * 2 ** 22 + rng.int(2 ** 22));
      const midpoint = mantissa * (1n << BigInt(shift)) + (1n << BigInt(shift - 1));
      if (midpoint.toString().length > 19) continue;
      for (const near of [midpoint - 1n, midpoint, midpoint + 1n]) expect(agreesWithNumber(near.toString()).same, near.toString()).toBe(true);
      expect(read(midpoint.toString())).toBeNaN();
    }
    expect(agreesWithNumber("9007199254740993")).toEqual({ handled: false, same: true });
    expect(read("9007199254740994")).toBe(9007199254740994);
  });

  it("reads signs, zeros and exponents as Number() does", () => {
    for (const text of ["0", "-0", "+3", ".5", "5.", "-.25", "007", "1.50", "-0.0", "0e400", "-0e400", "1e5", "2E-3", "1e+2", "123456789012345678.9", "0.30000000000000004"]) {
      expect(Object.is(read(text), Number(text)), text).toBe(true);
    }
  });

  it("hands back what it does not read: text, blanks, other notations, too many digits or too large a power", () => {
    for (const text of ["", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "NaN", "Infinity", "0x10", " 4", "4 ", "9-0.297", "1_000", "12345678901234567890", "1e23", "1e-400x", "1e1000", "1.5e-30"]) {
      expect(read(text), text).toBeNaN();
    }
  });

  it("finds where a number ends while reading it (one pass over a CSV cell), and what follows is not read into it", () => {
    const scanner = new DecimalScanner();
    const cases: [string, number, number][] = [
      ["1.5,2", 1.5, 3],
      ["-0.25\r\n", -0.25, 5],
      ["7", 7, 1],
      ["1e5;x", 1e5, 3],
      ["12abc", 12, 2],
      ['3.25"', 3.25, 4],
    ];
    for (const [text, value, stop] of cases) {
      const bytes = Buffer.from(text, "latin1");
      expect(scanner.read(bytes, 0, bytes.length), text).toBe(value);
      expect(scanner.stop, text).toBe(stop);
    }
    for (const text of ["1e,", "1e+;", ",5", "abc"]) {
      const bytes = Buffer.from(text, "latin1");
      expect(scanner.read(bytes, 0, bytes.length), text).toBeNaN();
    }
  });
});
