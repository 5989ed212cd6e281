import { describe, expect, it } from "vitest";
import { CsvFile } from "../../../src/core/builtins/datasets/csvFile";
import { readCsvFast } from "../../../src/core/builtins/datasets/shared/fastCsv";
import { Rng } from "../../../src/core/util/random";
import { errorOf, tempWorkspace } from "./helpers";

/** Loads the same file by the lean path (where it applies) and by csv-parse alone. */
async function bothWays(content: string, params: Record<string, unknown> = {}, leanBlockBytes?: number) {
  const workspace = tempWorkspace();
  workspace.write("data.csv", content);
  const lean = new CsvFile({ path: "data.csv", target: "y", ...params });
  if (leanBlockBytes) lean.leanBlockBytes = leanBlockBytes;
  const general = new CsvFile({ path: "data.csv", target: "y", ...params });
  general.generalParserOnly = true;
  return { lean: await lean.load(workspace.context), general: await general.load(workspace.context) };
}

const SPELLINGS = ["0", "-0", "7", "007", "1.50", "-2.25", ".5", "5.", "+3", "1e5", "2E-3", "0.0000001", "0.000001", "123456789012345", "1234567890123456789", "0.1", "-0.0", "NaN", "Infinity", "0x10", " 4 ", "\t8", "9-0.297", ""];

function randomCell(rng: Rng): string {
  const r = rng.next();
  if (r < 0.35) return (rng.next() * 2000 - 1000).toFixed(Math.floor(rng.next() * 8));
  if (r < 0.5) return String(Math.floor(rng.next() * 1e6) - 5e5);
  if (r < 0.55) return String(rng.next() * 10 ** Math.floor(rng.next() * 30 - 15));
  return SPELLINGS[Math.floor(rng.next() * SPELLINGS.length)];
}

describe("the lean CSV path", () => {
  it("reads exactly what csv-parse reads: values, kinds and original spellings", async () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 20; trial++) {
      const rows = Array.from({ length: 300 }, (_, i) => [randomCell(rng), randomCell(rng), i % 7 === 0 ? "" : String(rng.next()), `w${i % 5} é`, String(i % 2)]);
      // Some files are numeric but for a few cells, some have a mostly-text column.
      const lineEnd = trial % 2 ? "\r\n" : "\n";
      const body = rows.map((row) => row.join(",")).join(lineEnd);
      const content = `${trial % 3 === 0 ? "\uFEFF" : ""}a, b ,c,d,y${lineEnd}${body}${lineEnd}${trial % 4 === 0 ? lineEnd : ""}`;
      const { lean, general } = await bothWays(content, { invalidNumbers: trial % 2 ? "missing" : "text" });
      expect(lean.columns.map((c) => c.kind)).toEqual(general.columns.map((c) => c.kind));
      for (const column of general.columns) expect(Array.from(lean.column(column.name).values as ArrayLike<unknown>)).toEqual(Array.from(column.values as ArrayLike<unknown>));
    }
  });

  it("agrees on the plain decimals it reads from bytes, to the last bit", async () => {
    const rng = new Rng(5);
    const rows = Array.from({ length: 5000 }, () => `${(rng.next() * 10 ** Math.floor(rng.next() * 12 - 4)).toFixed(Math.floor(rng.next() * 10))},${rng.next() < 0.5 ? "-" : ""}${Math.floor(rng.next() * 1e9)}.${Math.floor(rng.next() * 1e6)},1`);
    const { lean, general } = await bothWays(`a,b,y\n${rows.join("\n")}\n`);
    expect(lean.column("a").kind).toBe("number");
    expect(Array.from(lean.column("a").values as Float64Array)).toEqual(Array.from(general.column("a").values as Float64Array));
    expect(Array.from(lean.column("b").values as Float64Array)).toEqual(Array.from(general.column("b").values as Float64Array));
  });

  it("reads full-precision doubles (as JavaScript and pandas write them) to the last bit, across block ends", async () => {
    const rng = new Rng(6);
    const rows = Array.from({ length: 3000 }, () => `${rng.normal()},${-rng.next() * 1e-3},${rng.normal() * 1e6},${rng.int(2)}`);
    for (const block of [undefined, 64, 1000]) {
      const { lean, general } = await bothWays(`a,b,c,y\n${rows.join("\n")}\n`, {}, block);
      for (const name of ["a", "b", "c", "y"]) {
        expect(lean.column(name).kind).toBe("number");
        expect(Array.from(lean.column(name).values as Float64Array)).toEqual(Array.from(general.column(name).values as Float64Array));
      }
    }
  });

  it("reads a column again as text when it turns to text after numbers, keeping their spellings", async () => {
    // "zip" looks numeric for 500 rows (with spellings String() would not give back), then is text;
    // "code" has too many cells that are not numbers (more than 5 %), found only at the end.
    const rows = Array.from({ length: 600 }, (_, i) => `${i < 500 ? ["02139", "1.50", "7", "-0"][i % 4] : `K${i}A`},${i % 10 === 0 ? "x" : `${i}.0`},${i % 2}`);
    const { lean, general } = await bothWays(`zip,code,y\n${rows.join("\n")}\n`, { invalidNumbers: "missing" }, 256);
    expect(lean.column("zip").kind).toBe("string");
    expect(lean.column("zip").values.slice(0, 4)).toEqual(["02139", "1.50", "7", "-0"]);
    expect(lean.column("code").kind).toBe("string");
    expect(lean.column("code").values.slice(0, 2)).toEqual(["x", "1.0"]);
    for (const column of general.columns) expect(lean.column(column.name).values).toEqual(column.values);
  });

  it("names the line of a row with a wrong number of fields, as csv-parse's path does", async () => {
    const workspace = tempWorkspace();
    workspace.write("data.csv", "a,b,y\n1,2,0\n\n3,4\n");
    const error = await errorOf(() => new CsvFile({ path: "data.csv", target: "y" }).load(workspace.context));
    expect(error.message).toMatch(/^Line 4 of "data.csv" has 2 fields but the header has 3\./);
  });

  it("takes plain and quoted files, and leaves lone CRs, UTF-16 and malformed quoting to csv-parse", async () => {
    const workspace = tempWorkspace();
    const sink = { builders: [], headerRead: () => undefined, rowRead: () => undefined };
    const lean = (content: string | Buffer) => readCsvFast(workspace.write("f.csv", content), ",", { source: "f", given: "f.csv" }, sink);
    expect(await lean("a,y\r\n1,2\r\n")).toBe(true);
    expect(await lean('"a","y"\n"1",2\n"x\ny",3\n')).toBe(true);
    expect(await lean("a,y\r1,2\r")).toBe(false);
    expect(await lean(Buffer.from("\uFEFFa,y\n1,2\n", "utf16le"))).toBe(false);
    expect(await lean('a,y\n1"2,3\n')).toBe(false);
    expect(await lean('a,y\n"1"2,3\n')).toBe(false);
    expect(await lean('a,y\n"1,3\n')).toBe(false);
  });

  it("hands quoted fields and other delimiters to csv-parse, with the same result", async () => {
    const { lean, general } = await bothWays('t;y\n"a;b";1\n2;3\n', { delimiter: ";" });
    expect(lean.column("t").values).toEqual(["a;b", "2"]);
    expect(lean.column("t").values).toEqual(general.column("t").values);
  });
});
