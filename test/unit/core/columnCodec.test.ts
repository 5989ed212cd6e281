import { describe, expect, it } from "vitest";
import { Dataset, type Column } from "../../../src/core/data/dataset";
import { decodeHeader, decodeRows, encodeHeader, encodeRows } from "../../../src/core/objects/datasetCodec";
import { Rng } from "../../../src/core/util/random";

/** Encodes rows [0, n) of these columns as one chunk and decodes it back. */
function roundTrip(columns: Column[]): Column[] {
  const dataset = new Dataset(columns, columns[0].name);
  const header = decodeHeader(encodeHeader(dataset), "test");
  const chunk = encodeRows(dataset.columns, 0, dataset.rowCount);
  const decoded = decodeRows(chunk, header, "test");
  return header.columns.map((spec, c) => ({ name: spec.name, kind: spec.kind, values: decoded.columns[c] }) as Column);
}

function chunkSize(columns: Column[]): number {
  const dataset = new Dataset(columns, columns[0].name);
  return encodeRows(dataset.columns, 0, dataset.rowCount).length;
}

const numbers = (name: string, values: number[]): Column => ({ name, kind: "number", values: Float64Array.from(values) });
const texts = (name: string, values: (string | null)[]): Column => ({ name, kind: "string", values });

/** Same doubles bit for bit (NaN as NaN, -0 as -0). */
function expectSameNumbers(actual: Column, expected: number[]): void {
  const values = Array.from(actual.values as Float64Array);
  expect(values.length).toBe(expected.length);
  values.forEach((value, i) => expect(Object.is(value, expected[i]) || (Number.isNaN(value) && Number.isNaN(expected[i])), `row ${i}: ${value} vs ${expected[i]}`).toBe(true));
}

describe("format-3 column encodings", () => {
  it("gives back exactly the doubles of every number encoding", () => {
    const rng = new Rng(4);
    const cases: Record<string, number[]> = {
      integers: Array.from({ length: 500 }, (_, i) => 100_000 + i),
      small: Array.from({ length: 500 }, () => rng.int(3)),
      prices: Array.from({ length: 500 }, () => Math.round(rng.next() * 10_000) / 100),
      readings: Array.from({ length: 500 }, () => Math.round(rng.normal() * 1e6) / 1e6),
      wideRange: Array.from({ length: 500 }, (_, i) => (i % 2 ? -1 : 1) * 2 ** 40 + i),
      withNaN: Array.from({ length: 500 }, (_, i) => (i % 7 === 0 ? NaN : i % 300)),
      allNaN: Array.from({ length: 50 }, () => NaN),
      negativeZero: [0, -0, 1, 2],
      infinities: [1, Infinity, -Infinity, NaN, 2.5],
      float32: Array.from({ length: 500 }, () => Math.fround(rng.normal())),
      doubles: Array.from({ length: 500 }, () => rng.normal()),
      huge: [2 ** 60, 1, 3, -(2 ** 61)],
      tiny: [5e-324, 1e-300, 0.1 + 0.2, 1 / 3],
      codesFillAByte: Array.from({ length: 300 }, (_, i) => (i === 299 ? NaN : i % 255)),
      // Integers (decoded without a division) and decimals with 2- and 4-byte codes, NaN included.
      twoByteIntegersWithNaN: Array.from({ length: 500 }, (_, i) => (i % 50 === 0 ? NaN : -i * 100)),
      fourByteIntegersWithNaN: Array.from({ length: 500 }, (_, i) => (i % 50 === 7 ? NaN : i * 1000 - 3)),
      fourByteIntegers: Array.from({ length: 500 }, (_, i) => 2 ** 31 + i * 9000),
      fourByteDecimalsWithNaN: Array.from({ length: 500 }, (_, i) => (i % 50 === 9 ? NaN : i * 1000 + 0.5)),
    };
    const columns = Object.entries(cases).map(([name, values]) => numbers(name, values.slice(0, 4)));
    roundTrip(columns).forEach((column, c) => expectSameNumbers(column, Object.values(cases)[c].slice(0, 4)));
    for (const [name, values] of Object.entries(cases)) expectSameNumbers(roundTrip([numbers(name, values)])[0], values);
  });

  it("stores integers, decimals and float32 data in fewer bytes than raw doubles", () => {
    const rows = 1000;
    const raw = 4 + rows * 8;
    expect(chunkSize([numbers("label", Array.from({ length: rows }, (_, i) => i % 2))])).toBeLessThan(raw / 6);
    expect(chunkSize([numbers("price", Array.from({ length: rows }, (_, i) => (i * 37) % 10_000 / 100))])).toBeLessThan(raw / 3);
    expect(chunkSize([numbers("f32", Array.from({ length: rows }, (_, i) => Math.fround(Math.sin(i))))])).toBeLessThan(raw * 0.6);
    expect(chunkSize([numbers("noise", Array.from({ length: rows }, (_, i) => Math.sin(i)))])).toBeGreaterThanOrEqual(raw);
  });

  it("gives back text exactly: repeated values, missing values, empty and non-ASCII strings", () => {
    const rng = new Rng(9);
    const cases: Record<string, (string | null)[]> = {
      categories: Array.from({ length: 600 }, (_, i) => (i % 11 === 0 ? null : ["north", "south", "", "ünïcode, \"quoted\"\n"][rng.int(4)])),
      manyCategories: Array.from({ length: 2000 }, (_, i) => `c${i % 700}`),
      distinct: Array.from({ length: 300 }, (_, i) => (i % 5 === 0 ? null : `row ${i} ${"x".repeat(i % 13)}`)),
      allMissing: Array.from({ length: 20 }, () => null),
      emoji: ["😀", "😀", "a😀b", null, ""],
    };
    for (const [name, values] of Object.entries(cases)) expect(roundTrip([texts(name, values)])[0].values).toEqual(values);
    const rows = 1000;
    const categories = Array.from({ length: rows }, (_, i) => ["north", "south", "east", "west"][i % 4]);
    expect(chunkSize([texts("region", categories)])).toBeLessThan(rows * 2);
  });

  it("reports a chunk that does not decode (truncated, unknown encoding, extra bytes) as corrupted", () => {
    const dataset = new Dataset([numbers("x", [1.5, 2.5, 3.5]), texts("t", ["a", "b", "a"])], "x");
    const header = decodeHeader(encodeHeader(dataset), "d");
    const chunk = encodeRows(dataset.columns, 0, 3);
    expect(() => decodeRows(chunk.subarray(0, chunk.length - 1), header, "d")).toThrow(/chunk of the stored dataset d cannot be decoded/);
    expect(() => decodeRows(Buffer.concat([chunk, Buffer.from([0])]), header, "d")).toThrow(/cannot be decoded/);
    const unknown = Buffer.from(chunk);
    unknown[4] = 99;
    expect(() => decodeRows(unknown, header, "d")).toThrow(/cannot be decoded/);
  });

  it("refuses a header of a format it does not know, saying how to get on", () => {
    const header = Buffer.from(JSON.stringify({ format: "mlexp-dataset/9", target: "x", columns: [] }));
    expect(() => decodeHeader(header, "abc")).toThrow(/stored dataset abc is not in a format this version reads \(mlexp-dataset\/3, mlexp-dataset\/2\)/);
  });
});
