import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/cli";
import { tempDir } from "../helpers/tempDir";

/**
 * The bundled library (dist/index.js, as users and the training process load it) storing and
 * reading a dataset on its chunk threads, which it starts from dist/chunkWorker.js: the script
 * counts the threads started (wrapping worker_threads.Worker before the bundle loads) and compares
 * the result with the same store on one thread.
 */
const SCRIPT = `
const threads = require("node:worker_threads");
const started = [];
const Original = threads.Worker;
threads.Worker = class extends Original { constructor(file, options) { super(file, options); started.push(String(file)); } };
const mlexp = require(process.argv[1]);
const [one, two] = process.argv.slice(2);
const rows = 300000;
const shared = (make) => { const v = new Float64Array(new SharedArrayBuffer(rows * 8)); for (let i = 0; i < rows; i++) v[i] = make(i); return v; };
const dataset = new mlexp.Dataset([
  { name: "id", kind: "number", values: shared((i) => 1000 + i) },
  { name: "price", kind: "number", values: shared((i) => ((i * 7919) % 100000) / 100) },
  { name: "noise", kind: "number", values: shared((i) => (i % 97 === 0 ? NaN : Math.sin(i))) },
  { name: "region", kind: "string", values: Array.from({ length: rows }, (_, i) => (i % 31 === 0 ? null : ["north", "south", "east"][i % 3])) },
  { name: "label", kind: "number", values: shared((i) => i % 2) },
], "label");
(async () => {
  const a = await new mlexp.ObjectStore(one).putDataset(dataset, { threads: 0 });
  const threadsBefore = started.length;
  const store = new mlexp.ObjectStore(two);
  const b = await store.putDataset(dataset, { threads: 2 });
  const back = await store.readDataset(b.manifest.hash, { threads: 2 });
  const same = dataset.columns.every((c) => { const got = back.column(c.name).values; return got.length === rows && c.values.every((v, i) => Object.is(v, got[i]) || (v !== v && got[i] !== got[i])); });
  console.log(JSON.stringify({ one: a.manifest, two: b.manifest, same, threadsBefore, started }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

describe("the bundled library's chunk threads", () => {
  it("stores and reads on threads started from dist/chunkWorker.js, giving the one-thread store's manifest", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", SCRIPT, path.join(REPO_ROOT, "dist", "index.js"), tempDir(), tempDir()], { maxBuffer: 1 << 24 });
    const result = JSON.parse(stdout) as { one: unknown; two: unknown; same: boolean; threadsBefore: number; started: string[] };
    expect(result.threadsBefore).toBe(0);
    expect(result.started).toEqual(Array.from({ length: 4 }, () => path.join(REPO_ROOT, "dist", "chunkWorker.js")));
    expect(result.two).toEqual(result.one);
    expect(result.same).toBe(true);
  });
});
