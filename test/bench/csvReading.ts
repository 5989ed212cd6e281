import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Rng } from "../../src/core/util/random";
import { median, printTable, REPO_ROOT } from "./timing";

const ROWS = 100_000;
const FEATURES = 20;
/** Reads per process: the first in a fresh process (what `mlexp train` does), then warm ones. */
const READS = 4;
/** csv-parse's ways run at a few MB/s: one warm read after the first is enough to tell. */
const SLOW_READS = 2;
export const PYTHON = "/usr/bin/python3";

/** How the numbers are written: as toFixed(6), or as JavaScript and pandas write a double (17 digits). */
export type CsvStyle = "fixed6" | "full";

/**
 * How the file is written around the numbers, as practitioners' tools write CSV:
 * - "plain": no quotes, LF (pandas' default, JavaScript);
 * - "r": R's write.csv(row.names = FALSE): quoted header, bare numbers, a quoted text column
 *   (some of its values hold the delimiter);
 * - "quoteAll": pandas/Excel with QUOTE_ALL: every header name and cell quoted, numbers too;
 * - "excel": Excel's "CSV UTF-8": a BOM, CRLF line ends, no quotes.
 */
export type CsvLayout = "plain" | "r" | "quoteAll" | "excel";

const CITIES = ["Paris", "Washington, D.C.", "Zürich", "Springfield", "St. John's"];

/**
 * A numeric CSV of `rows` × `features` plus a 0/1 label that depends on the features (so a
 * classifier learns something), the same for every call with the same arguments.
 */
export function writeNumericCsv(file: string, rows: number, features: number, style: CsvStyle, layout: CsvLayout = "plain"): number {
  const rng = new Rng(3);
  const weights = Array.from({ length: features }, () => rng.normal());
  const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`;
  const names = [...Array.from({ length: features }, (_, i) => `f${i}`), ...(layout === "r" ? ["city"] : []), "label"];
  const header = names.map((n) => (layout === "r" || layout === "quoteAll" ? quoted(n) : n)).join(",");
  const lineEnd = layout === "excel" ? "\r\n" : "\n";
  const out = fs.openSync(file, "w");
  try {
    fs.writeSync(out, `${layout === "excel" ? "\uFEFF" : ""}${header}${lineEnd}`);
    const lines: string[] = [];
    for (let row = 0; row < rows; row++) {
      const x = Array.from({ length: features }, () => rng.normal());
      const score = x.reduce((sum, v, i) => sum + v * weights[i], 0) + rng.normal();
      const cells = [...x.map((v) => (style === "full" ? String(v) : v.toFixed(6))), ...(layout === "r" ? [quoted(CITIES[row % CITIES.length])] : []), score > 0 ? "1" : "0"];
      lines.push((layout === "quoteAll" ? cells.map(quoted) : cells).join(","));
      if (lines.length === 10_000) fs.writeSync(out, `${lines.splice(0).join(lineEnd)}${lineEnd}`);
    }
    if (lines.length) fs.writeSync(out, `${lines.join(lineEnd)}${lineEnd}`);
  } finally {
    fs.closeSync(out);
  }
  return fs.statSync(file).size;
}

interface Way {
  what: string;
  /** Node: the body of an async function reading `file` (variables m, csvParse, fs, file). Python: a statement reading `file`. */
  code: string;
  python?: boolean;
  reads?: number;
}

interface Measured {
  firstMs: number;
  firstCpuMs: number;
  warmMs: number;
  warmCpuMs: number;
  peakBytes: number;
}

const CSV_PARSE_ALONE = `
  const { pipeline } = require("node:stream/promises");
  await pipeline(fs.createReadStream(file), csvParse.parse({ trim: true, skip_empty_lines: true }), async (records) => { for await (const _ of records); });`;
const csvFile = (options: string) => `
  const csv = new m.CsvFile({ path: file, target: "label" });
  Object.assign(csv, ${options});
  return await csv.load({ workspace: "/", seed: 0, resolvePath: (p) => p });`;

/**
 * CSV reading: CsvFile's lean numeric path (numbers read straight from the bytes into pre-sized
 * Float64Arrays; quoted fields too) against CsvFile through csv-parse (its path before), csv-parse alone
 * (records only), pandas.read_csv (when Debian's python3-pandas is there) and a plain read of the
 * file as the floor. Each way runs in a fresh process (`node --expose-gc`): the first read there is
 * what `mlexp train` pays; then the median of warm reads, its CPU time, and memory (growth of heap
 * and buffers during and after the read, dataset kept) against the file's size.
 * Goal: ≥ 100 MB/s, memory ≤ 2× the file.
 */
export async function benchCsvReading(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-csv-"));
  try {
    const pandas = spawnSync(PYTHON, ["-c", "import pandas; print(pandas.__version__)"], { encoding: "utf8" });
    const pandasVersion = pandas.status === 0 ? pandas.stdout.trim() : undefined;
    if (!pandasVersion) console.log(`pandas: not available (${PYTHON} -c "import pandas" failed; apt-get install python3-pandas): its line is skipped.`);
    const pandasWay: Way[] = pandasVersion ? [{ what: `pandas ${pandasVersion} read_csv (C parser)`, code: "pandas.read_csv(file)", python: true }] : [];
    const beforeAndLean: Way[] = [
      { what: "CsvFile through csv-parse (before)", code: csvFile("{ generalParserOnly: true }"), reads: SLOW_READS },
      { what: "CsvFile, lean path", code: csvFile("{}") },
      ...pandasWay,
    ];
    const files: { label: string; style: CsvStyle; layout: CsvLayout; ways: Way[] }[] = [
      {
        label: "numbers as toFixed(6)",
        style: "fixed6",
        layout: "plain",
        ways: [
          { what: "plain read of the file (floor)", code: "return fs.readFileSync(file);" },
          { what: "CsvFile through csv-parse (before)", code: csvFile("{ generalParserOnly: true }"), reads: SLOW_READS },
          { what: "CsvFile, lean numeric path", code: csvFile("{}") },
        ],
      },
      {
        label: "numbers as JavaScript and pandas write doubles (17 digits), the tracking benchmark's file",
        style: "full",
        layout: "plain",
        ways: [
          { what: "plain read of the file (floor)", code: "return fs.readFileSync(file);" },
          { what: "csv-parse alone, records only", code: CSV_PARSE_ALONE, reads: SLOW_READS },
          { what: "CsvFile through csv-parse (before)", code: csvFile("{ generalParserOnly: true }"), reads: SLOW_READS },
          { what: "CsvFile, lean path, 1 MiB blocks", code: csvFile("{ leanBlockBytes: 1 << 20 }") },
          { what: "CsvFile, lean path, 4 MiB blocks (chosen)", code: csvFile("{}") },
          { what: "CsvFile, lean path, 16 MiB blocks", code: csvFile("{ leanBlockBytes: 16 << 20 }") },
          ...pandasWay,
        ],
      },
      { label: "17-digit doubles as R's write.csv writes them: quoted header and a quoted text column (city)", style: "full", layout: "r", ways: beforeAndLean },
      { label: "17-digit doubles with every cell quoted (pandas/Excel QUOTE_ALL)", style: "full", layout: "quoteAll", ways: beforeAndLean },
      { label: "17-digit doubles as Excel's CSV UTF-8: BOM and CRLF", style: "full", layout: "excel", ways: beforeAndLean },
    ];
    for (const { label, style, layout, ways } of files) {
      const file = path.join(dir, `${style}-${layout}.csv`);
      const size = writeNumericCsv(file, ROWS, FEATURES, style, layout);
      const megabytes = size / 1e6;
      const load = os.loadavg()[0];
      const rows = ways.map((way) => {
        const measured = way.python ? measurePython(way, file) : measureNode(way, file);
        const rate = (ms: number) => megabytes / (ms / 1000);
        return [
          way.what,
          measured.firstMs,
          measured.warmMs,
          rate(measured.firstMs),
          rate(measured.firstCpuMs),
          rate(measured.warmMs),
          rate(measured.warmCpuMs),
          `${(measured.peakBytes / size).toFixed(2)}×`,
        ];
      });
      printTable(
        `CSV reading, ${ROWS.toLocaleString()} × ${FEATURES + 1}, ${label}, ${megabytes.toFixed(1)} MB (load average ${load.toFixed(1)} → ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores; goal ≥ 100 MB/s, memory ≤ 2×)`,
        ["what", "first read ms", "warm ms", "first MB/s", "first MB/s of CPU", "warm MB/s", "warm MB/s of CPU", "memory"],
        rows,
      );
    }
    console.log(
      "first read: in a fresh process, as `mlexp train` reads; warm: median of the reads after it; MB/s of CPU: by the process's CPU time, steadier when cores are shared; memory: pandas by the growth of its peak resident size.",
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the way's reads in a fresh Node process; the child reports each read's times and memory as JSON. */
function measureNode(way: Way, file: string): Measured {
  const script = `
    const fs = require("node:fs");
    const m = require(${JSON.stringify(path.join(REPO_ROOT, "dist", "index.js"))});
    const csvParse = require(${JSON.stringify(require.resolve("csv-parse"))});
    const file = ${JSON.stringify(file)};
    const grown = (base) => { const u = process.memoryUsage(); return u.heapUsed + u.arrayBuffers - base; };
    (async () => {
      const reads = [];
      for (let i = 0; i < ${way.reads ?? READS}; i++) {
        globalThis.gc();
        const u = process.memoryUsage();
        const base = u.heapUsed + u.arrayBuffers;
        let peak = 0;
        const sampler = setInterval(() => (peak = Math.max(peak, grown(base))), 2);
        const cpu = process.cpuUsage();
        const start = performance.now();
        const kept = await (async () => { ${way.code} })();
        const ms = performance.now() - start;
        const used = process.cpuUsage(cpu);
        clearInterval(sampler);
        peak = Math.max(peak, grown(base));
        reads.push({ ms, cpuMs: (used.user + used.system) / 1000, peak, kept: kept === undefined ? 0 : 1 });
      }
      console.log(JSON.stringify(reads));
    })().catch((error) => { console.error(error); process.exit(1); });`;
  return summarise(run(process.execPath, ["--expose-gc", "-e", script], way.what));
}

function measurePython(way: Way, file: string): Measured {
  const script = `
import json, resource, sys, time
import pandas
file = ${JSON.stringify(file)}
reads = []
for i in range(${way.reads ?? READS}):
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    before = time.process_time()
    start = time.perf_counter()
    kept = ${way.code}
    ms = (time.perf_counter() - start) * 1000
    cpu = (time.process_time() - before) * 1000
    # Growth of the process's peak resident size (KiB on Linux): only the first read can raise it.
    reads.append({"ms": ms, "cpuMs": cpu, "peak": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) * 1024})
    del kept
print(json.dumps(reads))`;
  return summarise(run(PYTHON, ["-c", script], way.what));
}

function run(command: string, args: string[], what: string): { ms: number; cpuMs: number; peak: number }[] {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${what} failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as { ms: number; cpuMs: number; peak: number }[];
}

function summarise(reads: { ms: number; cpuMs: number; peak: number }[]): Measured {
  const warm = reads.slice(1);
  return {
    firstMs: reads[0].ms,
    firstCpuMs: reads[0].cpuMs,
    warmMs: median(warm.map((r) => r.ms)),
    warmCpuMs: median(warm.map((r) => r.cpuMs)),
    peakBytes: Math.max(...reads.map((r) => r.peak)),
  };
}
