import { describe, expect, it } from "vitest";
import { Dataset } from "../../../src/core/data/dataset";
import { compressChunkSync, sha256 } from "../../../src/core/objects/chunkBytes";
import { decodeChunks } from "../../../src/core/objects/chunkWork";
import { encodeRows } from "../../../src/core/objects/datasetCodec";
import { giveUp, newRowCursor, publishEnd, waitForEnd } from "../../../src/core/objects/rowCursor";
import type { DecodeBatch } from "../../../src/protocol/chunkWorker";

/** Rows [start, end) of a numbers + text dataset as a batch of stored chunks of `size` rows each. */
function batchOf(dataset: Dataset, start: number, end: number, size: number, index: number): DecodeBatch {
  const chunks: Buffer[] = [];
  const hashes: string[] = [];
  for (let from = start; from < end; from += size) {
    const plain = encodeRows(dataset.columns, from, Math.min(end, from + size));
    hashes.push(sha256(plain));
    chunks.push(compressChunkSync(plain));
  }
  const stored = new Uint8Array(Buffer.concat(chunks));
  let at = 0;
  return { index, hashes, stored, starts: chunks.map((c) => (at += c.length) - c.length), lengths: chunks.map((c) => c.length), numeric: dataset.columns.map((c) => c.kind === "number") };
}

function sharedColumn(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * length));
}

describe("decoding batches in place at the rows the row cursor gives them", () => {
  const rows = 1000;
  const dataset = new Dataset(
    [
      { name: "x", kind: "number", values: Float64Array.from({ length: rows }, (_, i) => (i % 97 === 0 ? NaN : i * 0.25)) },
      { name: "s", kind: "string", values: Array.from({ length: rows }, (_, i) => `v${i % 3}`) },
      { name: "y", kind: "number", values: Float64Array.from({ length: rows }, (_, i) => i % 2) },
    ],
    "y",
  );

  it("places each batch after the one before, and falls back to an array of its own after a chunk that could not be read", () => {
    const cursor = newRowCursor(4);
    const [x, y] = [sharedColumn(rows), sharedColumn(rows)];
    const target = { columns: [x, null, y], cursor };
    const first = decodeChunks(batchOf(dataset, 0, 300, 100, 0), target);
    expect(first.placed).toBe(true);
    expect(first.numbers).toHaveLength(0);
    expect(first.chunks.map((c) => ("at" in c ? c.at : c.problem))).toEqual([0, 100, 200]);
    const second = decodeChunks(batchOf(dataset, 300, 600, 150, 1), target);
    expect(second.placed).toBe(true);
    expect(second.chunks.map((c) => ("at" in c ? c.at : c.problem))).toEqual([300, 450]);
    expect(Array.from(x.subarray(0, 600))).toEqual(Array.from(dataset.columns[0].values.slice(0, 600) as Float64Array));
    expect(Array.from(y.subarray(0, 600))).toEqual(Array.from(dataset.columns[2].values.slice(0, 600) as Float64Array));
    // A damaged chunk: its rows are unknown, so neither this batch nor any later one goes in place.
    const damaged = batchOf(dataset, 600, 800, 100, 2);
    damaged.stored[damaged.starts[1] + 5] ^= 0xff;
    const third = decodeChunks(damaged, target);
    expect(third.placed).toBe(false);
    expect(third.chunks.map((c) => ("at" in c ? c.at : c.problem))).toEqual([0, "corrupted"]);
    expect(Array.from(third.numbers.subarray(0, 100))).toEqual(Array.from(dataset.columns[0].values.slice(600, 700) as Float64Array));
    expect(waitForEnd(cursor, 2)).toBe(-1);
    const fourth = decodeChunks(batchOf(dataset, 800, 1000, 100, 3), target);
    expect(fourth.placed).toBe(false);
    expect(fourth.rows).toBe(200);
    expect(Array.from(fourth.numbers.subarray(200, 400))).toEqual(Array.from(dataset.columns[2].values.slice(800, 1000) as Float64Array));
    expect(x[700]).toBe(0);
  });

  it("a batch past the columns' length (a manifest row count too small) comes back in an array, its end still published", () => {
    const cursor = newRowCursor(2);
    const columns = [sharedColumn(250), null, sharedColumn(250)];
    expect(decodeChunks(batchOf(dataset, 0, 200, 100, 0), { columns, cursor }).placed).toBe(true);
    const over = decodeChunks(batchOf(dataset, 200, 400, 100, 1), { columns, cursor });
    expect(over.placed).toBe(false);
    expect(waitForEnd(cursor, 1)).toBe(400);
  });

  it("a thread waiting for the batch before is released when the read is given up", () => {
    const cursor = newRowCursor(3);
    publishEnd(cursor, 0, 10);
    expect(waitForEnd(cursor, 0)).toBe(10);
    giveUp(cursor);
    expect(() => waitForEnd(cursor, 1)).toThrow(/given up/);
  });
});
