import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "csv-parse";
import { pipeline } from "node:stream/promises";
import { CsvFile } from "../../src/core/builtins/datasets/csvFile";
import { Rng } from "../../src/core/util/random";
import { median, printTable, timeIt } from "./timing";

const ROWS = 100_000;
const FEATURES = 20;
const REPEATS = 5;

/**
 * Reading a numeric CSV (100,000 × 20 plus a label, as the tracking benchmark's data): CsvFile's
 * lean path, which converts numbers straight from the file's bytes, against CsvFile through
 * csv-parse (the path it falls back to for quoted files) and csv-parse alone (records only),
 * with a plain read of the file as the floor. Goal: ≥ 100 MB/s, memory ≤ 2× the file.
 */
export async function benchCsvReading(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-csv-"));
  const file = path.join(dir, "data.csv");
  const rng = new Rng(3);
  const header = [...Array.from({ length: FEATURES }, (_, i) => `f${i}`), "label"].join(",");
  const lines = Array.from({ length: ROWS }, () => [...Array.from({ length: FEATURES }, () => rng.normal().toFixed(6)), String(rng.int(2))].join(","));
  fs.writeFileSync(file, `${header}\n${lines.join("\n")}\n`);
  const megabytes = fs.statSync(file).size / 1e6;
  const context = { workspace: dir, seed: 0, resolvePath: (p: string) => path.resolve(dir, p) };
  const load = (general: boolean) => async () => {
    const csv = new CsvFile({ path: "data.csv", target: "label" });
    csv.generalParserOnly = general;
    return (await csv.load(context)).rowCount;
  };
  const ways: [string, () => Promise<unknown>][] = [
    ["plain read of the file (floor)", async () => fs.promises.readFile(file)],
    ["csv-parse alone, records only", () => pipeline(fs.createReadStream(file), parse({ trim: true, skip_empty_lines: true }), async (records: AsyncIterable<string[]>) => { for await (const _ of records); })],
    ["CsvFile through csv-parse (before)", load(true)],
    ["CsvFile, lean numeric path", load(false)],
  ];
  const rows: (string | number)[][] = [];
  for (const [what, work] of ways) {
    const times: number[] = [];
    let peak = 0;
    for (let i = 0; i < REPEATS; i++) {
      (globalThis as { gc?: () => void }).gc?.();
      const before = process.memoryUsage();
      const sampler = setInterval(() => (peak = Math.max(peak, heapAndBuffers() - heapAndBuffers(before))), 5);
      times.push((await timeIt(work)).ms);
      clearInterval(sampler);
      peak = Math.max(peak, heapAndBuffers() - heapAndBuffers(before));
    }
    const ms = median(times);
    rows.push([what, ms, megabytes / (ms / 1000), `${(peak / 1e6 / megabytes).toFixed(2)}×`]);
  }
  printTable(
    `CSV reading, ${ROWS.toLocaleString()} × ${FEATURES + 1} numeric, ${megabytes.toFixed(1)} MB (median of ${REPEATS}; memory: growth of heap and buffers, sampled, against the file's size; goal ≥ 100 MB/s, ≤ 2×)`,
    ["what", "ms", "MB/s", "memory"],
    rows,
  );
  fs.rmSync(dir, { recursive: true, force: true });
}

function heapAndBuffers(usage: NodeJS.MemoryUsage = process.memoryUsage()): number {
  return usage.heapUsed + usage.arrayBuffers;
}
