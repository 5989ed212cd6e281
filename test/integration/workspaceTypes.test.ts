import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../helpers/cli";
import { tempDir } from "../helpers/tempDir";

const TSC = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");

/** `tsc --noEmit` in the workspace, with its own tsconfig.json: the check the editor makes. */
async function typeCheck(workspace: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [TSC, "--noEmit", "-p", workspace], { cwd: workspace });
    return { code: 0, output: stdout };
  } catch (error) {
    const failure = error as { code: number; stdout: string };
    return { code: failure.code, output: failure.stdout };
  }
}

// The README's "Writing a component", as a new user writes it (with bodies).
const USER_MODEL = `import * as fs from "node:fs";
import * as path from "node:path";
import { Model, param, type FitContext, type Matrix, type ParamValues } from "mlexp";

const params = { shrinkage: param.number({ default: 0.1, min: 0, max: 1 }) };

export class NearestCentroid extends Model<ParamValues<typeof params>> {
  static override readonly params = params;
  static override readonly task = "classification";
  private centroids: number[][] = [];
  fit(X: Matrix, y: Float64Array, context: FitContext): void {
    const shrink: number = this.params.shrinkage;
    context.log(\`fitting \${X.rows} rows with seed \${context.seed} and shrinkage \${shrink}\`);
    this.centroids = [Array.from(y.slice(0, X.cols))];
  }
  predict(X: Matrix): Float64Array {
    return new Float64Array(X.rows);
  }
  save(dir: string): void {
    fs.writeFileSync(path.join(dir, "centroids.json"), JSON.stringify(this.centroids));
  }
  load(dir: string): void {
    this.centroids = JSON.parse(fs.readFileSync(path.join(dir, "centroids.json"), "utf8")) as number[][];
  }
}
`;

const TRAIN_SCRIPT = `import { getDataAccessObject, getFeatureGenerator, getModel, trainModel } from "mlexp";

export async function main(): Promise<void> {
  const run = await trainModel({
    modelClass: getModel("LogisticRegression"),
    modelParams: { learningRate: [0.01, 0.05], epochs: 20 },
    featureGeneratorClass: getFeatureGenerator("StandardScaler"),
    datasetClass: getDataAccessObject("CsvFile"),
    datasetParams: { path: "data/train.csv", target: "label" },
    seed: 42,
    metric: "f1",
    search: { strategy: "grid", cv: 5 },
  });
  console.log(run.run_id, run.metrics);
}
`;

describe("types in an mlexp workspace", () => {
  it("`mlexp init` writes a tsconfig.json and declarations under which the example, a user model and the README's trainModel type-check", async () => {
    const workspace = tempDir();
    const init = await runCli(["init"], { cwd: workspace });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain("tsconfig.json");
    expect(fs.existsSync(path.join(workspace, ".mlexp/types/node_modules/mlexp/index.d.ts"))).toBe(true);
    expect(fs.readFileSync(path.join(workspace, ".mlexp/.gitignore"), "utf8")).toContain("*");
    fs.writeFileSync(path.join(workspace, "src/nearestCentroid.ts"), USER_MODEL);
    fs.writeFileSync(path.join(workspace, "train.ts"), TRAIN_SCRIPT);

    const result = await typeCheck(workspace);
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  });

  it("a `fit` whose signature does not match the base class is a type error", async () => {
    const workspace = tempDir();
    expect((await runCli(["init"], { cwd: workspace })).code).toBe(0);
    const wrong = USER_MODEL.replace("fit(X: Matrix, y: Float64Array, context: FitContext): void {", "fit(X: string, y: Float64Array, context: FitContext): void {").replace("${X.rows}", "${X.length}");
    fs.writeFileSync(path.join(workspace, "src/nearestCentroid.ts"), wrong);

    const result = await typeCheck(workspace);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/src\/nearestCentroid\.ts\(\d+,\d+\): error TS2416: Property 'fit' in type 'NearestCentroid' is not assignable to the same property in base type/);
  });

  it("an existing tsconfig.json keeps every setting and only gains paths.mlexp; the declarations follow the running mlexp", async () => {
    const workspace = tempDir();
    const own = `{
  // my settings
  "compilerOptions": {
    "strict": true,
    "target": "ES2020",
    "module": "ESNext",
    "moduleResolution": "Bundler",
    "skipLibCheck": true,
    "noEmit": true,
    "paths": { "@/*": ["./src/*"] }
  },
  "include": ["src"]
}
`;
    fs.writeFileSync(path.join(workspace, "tsconfig.json"), own);
    fs.mkdirSync(path.join(workspace, "src"));
    fs.writeFileSync(path.join(workspace, "mlexp.config.ts"), 'import { registerModel } from "mlexp";\nimport { NearestCentroid } from "./src/nearestCentroid";\nregisterModel("NearestCentroid", NearestCentroid);\n');
    fs.writeFileSync(path.join(workspace, "src/nearestCentroid.ts"), USER_MODEL);
    // What the extension does when it opens such a workspace (the CLI's `list` only refreshes the declarations).
    const { ensureWorkspaceTypes } = await import("../../src/core/workspace/workspaceTypes");
    expect(ensureWorkspaceTypes(workspace, { tsconfig: true }).tsconfig).toBe("paths-added");
    const updated = fs.readFileSync(path.join(workspace, "tsconfig.json"), "utf8");
    expect(updated).toContain("// my settings");
    const { parse } = await import("jsonc-parser");
    const before = parse(own) as { compilerOptions: { paths: Record<string, string[]> } };
    const after = parse(updated) as typeof before;
    expect(after).toEqual({
      ...before,
      compilerOptions: { ...before.compilerOptions, paths: { ...before.compilerOptions.paths, mlexp: ["./.mlexp/types/node_modules/mlexp/index.d.ts"] } },
    });
    expect((await typeCheck(workspace)).output).toBe("");
    // A second time changes nothing.
    expect(ensureWorkspaceTypes(workspace, { tsconfig: true })).toEqual({ typesUpdated: false, tsconfig: "left-alone" });
    expect(fs.readFileSync(path.join(workspace, "tsconfig.json"), "utf8")).toBe(updated);

    // Declarations of an older mlexp are replaced by any command that loads the workspace.
    const stamp = path.join(workspace, ".mlexp/types/stamp");
    fs.writeFileSync(stamp, "0.0.1 old\n");
    fs.rmSync(path.join(workspace, ".mlexp/types/node_modules/mlexp/index.d.ts"));
    const list = await runCli(["list"], { cwd: workspace });
    expect(list.code, list.stderr).toBe(0);
    expect(fs.readFileSync(stamp, "utf8")).toBe(fs.readFileSync(path.join(REPO_ROOT, "dist/workspace-types/stamp"), "utf8"));
    expect(fs.existsSync(path.join(workspace, ".mlexp/types/node_modules/mlexp/index.d.ts"))).toBe(true);
  });
});
