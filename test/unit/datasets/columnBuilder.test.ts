import { describe, expect, it } from "vitest";
import { ColumnBuilder } from "../../../src/core/builtins/datasets/shared/columnBuilder";
import { forEachLine } from "../../../src/core/builtins/datasets/shared/lineReader";
import { isCanonicalNumberText } from "../../../src/core/builtins/datasets/shared/numberText";
import { inferColumn } from "../../../src/core/data/dataset";
import { Rng } from "../../../src/core/util/random";
import { tempWorkspace } from "./helpers";

function build(values: readonly unknown[]) {
  const builder = new ColumnBuilder("c");
  for (const value of values) builder.push(value);
  return builder.build();
}

describe("ColumnBuilder", () => {
  it("types a column exactly as Dataset's inferColumn does", () => {
    const cases: unknown[][] = [
      ["1", "2.5", "", "-3"],
      [1, null, 2.5, true, false],
      ["1.50", "007", "1e3", "abc", "", "-0"],
      ["x", "1", null],
      ["  ", "1"],
      ["0x10", "Infinity", "abc"],
      [1, Infinity, "abc"],
      ["12", "0.0000001", "NaN"],
    ];
    for (const values of cases) {
      const built = build(values);
      const inferred = inferColumn("c", values);
      expect(built.kind, JSON.stringify(values)).toBe(inferred.kind);
      expect(Array.from(built.values as ArrayLike<unknown>), JSON.stringify(values)).toEqual(Array.from(inferred.values as ArrayLike<unknown>));
    }
  });

  it("refuses an infinity among numbers instead of turning the column into text", () => {
    for (const values of [["0x10", "Infinity"], [1, Infinity], ["1", "", "-inf", "2"], [" INF", "3"]]) {
      expect(() => build(values), JSON.stringify(values)).toThrow(/^Column "c" holds numbers, but .* in data row \d is infinite/);
    }
  });

  it("keeps the original spelling of numbers when a later value makes the column text", () => {
    const column = build(["007", "1.50", "2", "", "n/a"]);
    expect(column.kind).toBe("string");
    expect(column.values).toEqual(["007", "1.50", "2", null, "n/a"]);
  });

  it("agrees with inferColumn on random mixes of numeric texts, blanks and words", () => {
    const rng = new Rng(7);
    const pieces = ["0", "1", "10", "0.5", "2.50", "-3", "1e2", "", " ", "007", "-0", "0.0000001", "abc", "12345678901234567"];
    for (let trial = 0; trial < 200; trial++) {
      const values = Array.from({ length: 1 + rng.int(12) }, () => pieces[rng.int(pieces.length - (trial % 2 ? 0 : 1))]);
      const built = build(values);
      const inferred = inferColumn("c", values);
      expect(Array.from(built.values as ArrayLike<unknown>)).toEqual(Array.from(inferred.values as ArrayLike<unknown>));
    }
  });

  it("pads keys a row lacks with missing values", () => {
    const builder = new ColumnBuilder("c");
    builder.padTo(2);
    builder.push(5);
    builder.padTo(4);
    expect(Array.from(builder.build().values as Float64Array)).toEqual([NaN, NaN, 5, NaN]);
  });
});

describe("isCanonicalNumberText", () => {
  it("is only true when String(Number(text)) gives the text back", () => {
    const rng = new Rng(3);
    const texts = ["0", "-0", "1", "10", "0.5", "-0.5", "0.000001", "0.0000001", "1.0", "01", "1e3", ".5", "5.", "+1", "123456789012345", "1234567890123456"];
    for (let i = 0; i < 20000; i++) {
      const integer = String(rng.int(10 ** (1 + rng.int(9))));
      const fraction = rng.next() < 0.5 ? "" : `.${"0".repeat(rng.int(8))}${rng.int(1000)}`;
      texts.push(`${rng.next() < 0.3 ? "-" : ""}${integer}${fraction}`);
    }
    let canonical = 0;
    for (const text of texts) {
      if (!isCanonicalNumberText(text)) continue;
      canonical++;
      expect(String(Number(text)), text).toBe(text);
    }
    expect(canonical).toBeGreaterThan(5000);
    expect(["0", "1.5", "-2", "0.000001"].every(isCanonicalNumberText)).toBe(true);
    expect(["-0", "1.50", "007", "1e3", "0.0000001", "1234567890123456"].some(isCanonicalNumberText)).toBe(false);
  });
});

describe("forEachLine", () => {
  it("splits lines across chunk boundaries without breaking multi-byte characters", () => {
    const workspace = tempWorkspace();
    const lines = ["\uFEFFhéllo", "日本語のテキスト", "", "ça va ✓", "last line without newline"];
    const file = workspace.write("lines.txt", lines.join("\r\n"));
    for (const chunk of [1, 2, 3, 5, 7, 64]) {
      const seen: string[] = [];
      const numbers: number[] = [];
      forEachLine(file, (line, n) => (seen.push(line), numbers.push(n)), chunk);
      expect(seen, `chunk ${chunk}`).toEqual(["héllo", ...lines.slice(1)]);
      expect(numbers).toEqual([1, 2, 3, 4, 5]);
    }
  });
});
