import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { build, type Plugin } from "esbuild";
import * as os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/cli";
import { initRepo } from "../helpers/gitRepo";
import { tempDir } from "../helpers/tempDir";

/** The same `?raw` loader as esbuild.js (the library inlines its scaffold templates). */
const rawText: Plugin = {
  name: "raw-text",
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path.replace(/\?raw$/, "")), namespace: "raw" }));
    b.onLoad({ filter: /.*/, namespace: "raw" }, (args) => ({ contents: fs.readFileSync(args.path, "utf8"), loader: "text" }));
  },
};

/** The library and its storing thread, minified as `node esbuild.js --production` builds them. */
async function productionLibrary(out: string): Promise<string> {
  await build({
    entryPoints: [
      { in: path.join(REPO_ROOT, "src/core/index.ts"), out: "index" },
      { in: path.join(REPO_ROOT, "src/core/objects/objectWorker.ts"), out: "objectWorker" },
    ],
    outdir: out,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    external: ["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm", "@tensorflow/tfjs-node", "esbuild"],
    plugins: [rawText],
    logLevel: "silent",
  });
  fs.copyFileSync(path.join(REPO_ROOT, "node_modules/sql.js/dist/sql-wasm.wasm"), path.join(out, "sql-wasm.wasm"));
  return path.join(out, "index.js");
}

/** Trains with the bundled library in a fresh process; prints progress messages and the outcome as JSON lines. */
const SCRIPT = `
const mlexp = require(process.argv[1]);
const [features, file] = process.argv.slice(2);
const classNames = ["LogisticRegression", "Identity", "CsvFile"].map((name, i) =>
  mlexp.builtinRegistry().get(["model", "featureGenerator", "dataAccessObject"][i], name).name);
console.log(JSON.stringify({ classNames }));
mlexp.trainModel({
  modelClass: "LogisticRegression", featureGeneratorClass: features, datasetClass: "CsvFile",
  datasetParams: { path: file, target: "label" }, modelParams: { epochs: 2 }, workspace: process.cwd(),
  onProgress: (p) => console.log(JSON.stringify({ progress: p.message })),
}).then((run) => console.log(JSON.stringify({ run: run.run_id })), (e) => console.log(JSON.stringify({ error: e.message })));
`;

async function trainWithBundle(bundle: string, workspace: string, features: string, file: string): Promise<Record<string, unknown>[]> {
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", SCRIPT, bundle, features, file], { cwd: workspace, timeout: 120_000 });
  return stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("component names in the production bundle", () => {
  // Built once for both tests (tempDir folders go after each test).
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-prod-"));
  let bundle: string;
  beforeAll(async () => {
    bundle = await productionLibrary(out);
  }, 120_000);
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it("names the model being fitted by its registry name, not its minified class name", async () => {
    const workspace = tempDir();
    const rows = Array.from({ length: 200 }, (_, i) => `${(i % 17) / 3},${(i * 7) % 11},${i % 2}`);
    initRepo(workspace, { "data.csv": `a,b,label\n${rows.join("\n")}\n` });
    const lines = await trainWithBundle(bundle, workspace, "StandardScaler", "data.csv");
    const classNames = lines[0].classNames as string[];
    // The check means something only if the bundle really renamed the classes.
    expect(classNames).not.toContain("LogisticRegression");
    expect(lines.at(-1)).toHaveProperty("run");
    const progress = lines.map((line) => line.progress).filter((text): text is string => typeof text === "string");
    expect(progress).toContainEqual(expect.stringMatching(/^Fitting LogisticRegression on \d+ rows$/));
    for (const name of classNames) expect(progress.join("\n")).not.toMatch(new RegExp(`\\b${name}\\b`));
  }, 120_000);

  it("names the feature generator by its registry name when it refuses a dataset", async () => {
    const workspace = tempDir();
    const rows = Array.from({ length: 13_000 }, (_, i) => `id-${i},${i % 5},${i % 2}`);
    initRepo(workspace, { "wide.csv": `customer,visits,label\n${rows.join("\n")}\n` });
    const lines = await trainWithBundle(bundle, workspace, "Identity", "wide.csv");
    const error = lines.at(-1)?.error as string;
    expect(error).toMatch(/^The feature generator "Identity" would make 10,\d{3} feature columns/);
  }, 120_000);
});
