/**
 * Benchmark of the language server on a generated workspace of 2,000 files: the time to index it
 * (process start to the first component index, and the server's own figure) and the time to
 * update after one edit (didChange of a model's parameter to the re-published diagnostics of the
 * training script that uses it, through the real process and protocol).
 *
 * Run alone with `npx tsx test/bench/languageServer.ts` (after `node esbuild.js`), or through
 * `npm run bench`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LspClient } from "../integration/server/lspClient";
import { median, printTable } from "./timing";

const COUNTS = { modelBases: 20, featureBases: 10, datasetBases: 10, models: 700, features: 300, datasets: 150, specs: 200, utils: 500, scripts: 100, barrels: 9 };
const EDITS = 7;

/** Writes the workspace and returns its file count. */
export function generateWorkspace(root: string): number {
  const files = new Map<string, string>();
  const bases = (kind: string, base: string, count: number) => {
    for (let i = 0; i < count; i++) {
      files.set(`src/bases/${kind}${i}.ts`, `import { ${base}, param } from "mlexp";\n\nexport abstract class ${kind}Base${i} extends ${base} {\n  static override readonly params = { seed: param.integer({ default: ${i} }) };\n}\n`);
    }
  };
  bases("Model", "Model", COUNTS.modelBases);
  bases("Feature", "FeatureGenerator", COUNTS.featureBases);
  bases("Dataset", "DataAccessObject", COUNTS.datasetBases);
  for (let i = 0; i < COUNTS.specs; i++) {
    files.set(`src/specs/spec${i}.ts`, `import { param } from "mlexp";\n\nexport const spec${i} = {\n  width: param.integer({ default: ${i + 1}, min: 1 }),\n  rate: param.number({ default: 0.01, min: 0 }),\n};\n`);
  }
  for (let i = 0; i < COUNTS.models; i++) files.set(`src/models/model${i}.ts`, modelFile(i));
  for (let i = 0; i < COUNTS.features; i++) files.set(`src/features/feature${i}.ts`, componentFile("Feature", i, COUNTS.featureBases));
  for (let i = 0; i < COUNTS.datasets; i++) files.set(`src/datasets/dataset${i}.ts`, componentFile("Dataset", i, COUNTS.datasetBases));
  for (let i = 0; i < COUNTS.utils; i++) {
    files.set(`src/util/util${i}.ts`, `/** Helper ${i}. */\nexport function scale${i}(values: number[], by = ${i}): number[] {\n  return values.map((value) => value * by);\n}\n\nexport const LIMIT_${i} = ${i * 10};\n`);
  }
  for (let i = 0; i < COUNTS.barrels; i++) files.set(`src/barrels/barrel${i}.ts`, `export * from "../models/model${i}";\nexport * from "../util/util${i}";\n`);
  for (let i = 0; i < COUNTS.scripts; i++) files.set(`scripts/train${i}.ts`, scriptFile(i));
  files.set("mlexp.config.ts", configFile());
  for (const [relative, text] of files) {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), text);
  }
  return files.size;
}

function modelFile(i: number): string {
  const base = `ModelBase${i % COUNTS.modelBases}`;
  // A third take a shared spec constant from another file, the rest declare their own.
  const params = i % 3 === 0 ? `{ ...spec${i % COUNTS.specs}, p0: param.number({ default: 0.5 }) }` : `{\n    ...${base}.params,\n    p0: param.number({ default: 0.1, min: 0, max: 1, description: "First knob" }),\n    p1: param.integer({ default: ${i}, min: 1 }),\n    p2: param.string({ default: "a", choices: ["a", "b"] }),\n  }`;
  return `import { param, type Matrix } from "mlexp";
import { ${base} } from "../bases/Model${i % COUNTS.modelBases}";
import { spec${i % COUNTS.specs} } from "../specs/spec${i % COUNTS.specs}";

/** Generated model ${i}. */
export class Model${i} extends ${base} {
  static override readonly params = ${params};
  static override readonly description = "Generated model ${i}";

  fit(): void {}
  predict(X: Matrix): Float64Array {
    return new Float64Array(X.rows);
  }
  save(): void {}
  load(): void {}
}
`;
}

function componentFile(kind: "Feature" | "Dataset", i: number, baseCount: number): string {
  const base = `${kind}Base${i % baseCount}`;
  const method = kind === "Feature" ? "transform(): undefined {\n    return undefined;\n  }" : "async load(): Promise<undefined> {\n    return undefined;\n  }";
  return `import { param } from "mlexp";
import { ${base} } from "../bases/${kind}${i % baseCount}";

export class ${kind}${i} extends ${base} {
  static override readonly params = { scale: param.number({ default: ${i} }) };
  ${method}
}
`;
}

function scriptFile(i: number): string {
  return `import { getDataAccessObject, getFeatureGenerator, getModel, trainModel } from "mlexp";
import "../mlexp.config";

export default async function main(): Promise<void> {
  await trainModel({
    modelClass: getModel("Model${i}"),
    modelParams: { p0: [0.1, 0.2] },
    featureGeneratorClass: getFeatureGenerator("Feature${i % COUNTS.features}"),
    datasetClass: getDataAccessObject("Dataset${i % COUNTS.datasets}"),
  });
}
`;
}

function configFile(): string {
  const lines = [`import { registerDataAccessObject, registerFeatureGenerator, registerModel } from "mlexp";`];
  const body: string[] = [];
  const add = (kind: string, fn: string, folder: string, file: string, count: number) => {
    for (let i = 0; i < count; i++) {
      lines.push(`import { ${kind}${i} } from "./src/${folder}/${file}${i}";`);
      body.push(`${fn}("${kind}${i}", ${kind}${i});`);
    }
  };
  add("Model", "registerModel", "models", "model", COUNTS.models);
  add("Feature", "registerFeatureGenerator", "features", "feature", COUNTS.features);
  add("Dataset", "registerDataAccessObject", "datasets", "dataset", COUNTS.datasets);
  return `${lines.join("\n")}\n\n${body.join("\n")}\n`;
}

interface Figures {
  files: number;
  parsed: number;
  components: number;
  startToIndexMs: number;
  serverIndexMs: number;
  editToDiagnosticsMs: number[];
  serverUpdateMs: number[];
}

async function measure(root: string, files: number): Promise<Figures> {
  const started = performance.now();
  const client = await LspClient.start(root, { debounceMs: 0 });
  try {
    await client.waitForIndex();
    const startToIndexMs = performance.now() - started;
    const stats = await client.indexStats();
    const model = path.join(root, "src/models/model1.ts");
    const script = path.join(root, "scripts/train1.ts");
    const original = fs.readFileSync(model, "utf8");
    await client.open(model, original);
    const editToDiagnosticsMs: number[] = [];
    const serverUpdateMs: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      // Renaming the parameter makes train1.ts's `p0` unknown; renaming it back clears it.
      const broken = i % 2 === 0;
      const editStarted = performance.now();
      await client.change(model, broken ? original.replace("p0:", "q0:") : original);
      await client.waitForDiagnostics(script, (d) => d.length === (broken ? 1 : 0));
      editToDiagnosticsMs.push(performance.now() - editStarted);
      serverUpdateMs.push((await client.indexStats()).lastUpdateMs);
    }
    return { files, parsed: stats.parsedFiles, components: stats.components, startToIndexMs, serverIndexMs: stats.initialIndexMs, editToDiagnosticsMs, serverUpdateMs };
  } finally {
    await client.stop();
  }
}

export async function benchLanguageServer(): Promise<void> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-lsp-")));
  try {
    const files = generateWorkspace(root);
    const figures = await measure(root, files);
    printTable(
      `Language server on a generated workspace (${figures.files} files, ${figures.components} components, ${figures.parsed} files parsed; median of ${EDITS} edits)`,
      ["measure", "ms"],
      [
        ["index: process start → first component index", figures.startToIndexMs],
        ["index: server's scan + parse + link + diagnostics", figures.serverIndexMs],
        ["update: didChange → re-published diagnostics (protocol)", median(figures.editToDiagnosticsMs)],
        ["update: server's re-parse + re-link + diagnostics", median(figures.serverUpdateMs)],
      ],
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) void benchLanguageServer();
