import { Dataset, type Column } from "../../src/core/data/dataset";
import { Rng } from "../../src/core/util/random";

/**
 * Datasets that exercise every format-3 encoding and the chunker's corners: scaled integers of
 * 1/2/4-byte codes, decimals, float32, float64, NaN, -0, ±Infinity, huge integers, dictionary and
 * plain text with missing values and non-ASCII, wide rows, a few rows, one row and no rows. Used
 * to pin today's dataset hashes (stored data must keep its hash) and to compare the parallel
 * storing path with the sequential one.
 */
export function storageCases(): Record<string, Dataset> {
  return {
    mixed: mixed(30_000, 5),
    textHeavy: textHeavy(12_000),
    wide: wide(2_000, 120),
    nanAndEdges: nanAndEdges(9_000),
    tiny: mixed(3, 8),
    oneRow: mixed(1, 9),
    noRows: mixed(0, 10),
  };
}

function mixed(rows: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const num = (name: string, make: (i: number) => number): Column => ({ name, kind: "number", values: Float64Array.from({ length: rows }, (_, i) => make(i)) });
  return new Dataset(
    [
      num("id", (i) => 1_000_000 + i),
      num("small", () => rng.int(200)),
      num("medium", () => rng.int(60_000)),
      num("large", () => rng.int(3_000_000)),
      num("price", () => Math.round(rng.next() * 100_000) / 100),
      num("reading", () => (rng.next() < 0.02 ? NaN : Math.round(rng.normal() * 1e6) / 1e6)),
      num("f32", () => Math.fround(rng.normal())),
      num("f64", () => rng.normal()),
      { name: "region", kind: "string", values: Array.from({ length: rows }, (_, i) => (i % 13 === 0 ? null : ["north", "south", "east", "west", "ünï"][rng.int(5)])) },
      { name: "note", kind: "string", values: Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? null : `row ${i} ${"x".repeat(rng.int(20))}`)) },
      num("label", () => rng.int(2)),
    ],
    "label",
  );
}

function textHeavy(rows: number): Dataset {
  const rng = new Rng(21);
  const text = (name: string, make: (i: number) => string | null): Column => ({ name, kind: "string", values: Array.from({ length: rows }, (_, i) => make(i)) });
  return new Dataset(
    [
      text("city", () => `city-${rng.int(400)}`),
      text("code", () => `k${rng.int(70_000)}`),
      text("comment", (i) => (i % 5 === 0 ? "" : i % 11 === 0 ? null : `“${"é😀".repeat(rng.int(4))}” ${i}`)),
      text("y", () => (rng.next() < 0.5 ? "yes" : "no")),
    ],
    "y",
  );
}

function wide(rows: number, columns: number): Dataset {
  const rng = new Rng(33);
  const out: Column[] = [];
  for (let c = 0; c < columns; c++) {
    out.push({ name: `c${c}`, kind: "number", values: Float64Array.from({ length: rows }, () => (c % 3 === 0 ? rng.normal() : c % 3 === 1 ? rng.int(10) : Math.round(rng.normal() * 1000) / 1000)) });
  }
  return new Dataset(out, "c0");
}

function nanAndEdges(rows: number): Dataset {
  const rng = new Rng(44);
  const edges = [0, -0, Infinity, -Infinity, NaN, 2 ** 60, -(2 ** 61), 5e-324, 1 / 3, 2 ** 52, -(2 ** 52)];
  const num = (name: string, make: (i: number) => number): Column => ({ name, kind: "number", values: Float64Array.from({ length: rows }, (_, i) => make(i)) });
  return new Dataset(
    [
      num("edges", () => edges[rng.int(edges.length)]),
      num("allNaN", () => NaN),
      num("mostlyNaN", (i) => (i % 50 === 0 ? i : NaN)),
      num("negZero", (i) => (i % 100 === 0 ? -0 : i % 7)),
      num("codesFillAByte", (i) => (i % 256 === 255 ? NaN : i % 255)),
      num("bigInts", (i) => 2 ** 40 + i * 3),
      num("target", () => rng.int(3)),
    ],
    "target",
  );
}
