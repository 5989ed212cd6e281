import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { screenshot } from "./harness/workbench";
import { goToPosition, openFile, positionOf, suggestionLabels, waitForProblem } from "./mlexp/editor";
import { cliPath, git } from "./mlexp/scenarios";
import { useMlexpSession } from "./mlexp/session";

// A workspace made by `mlexp init`, plus a model written the way the README says, opened in VS Code:
// TypeScript resolves "mlexp" to the declarations init put in .mlexp/types (and Node's), so the
// Problems panel has nothing to say — and a wrong `fit` signature is an error there. TypeScript's
// own completion, fed by those declarations, lists mlexp's exports, `param.`'s builders and a
// FitContext's members.

const USER_MODEL = `import * as fs from "node:fs";
import * as path from "node:path";
import { Model, param, type FitContext, type Matrix, type ParamValues } from "mlexp";

const params = { shrinkage: param.number({ default: 0.1, min: 0, max: 1 }) };

export class NearestCentroid extends Model<ParamValues<typeof params>> {
  static override readonly params = params;
  static override readonly task = "classification";
  private centroids: number[][] = [];
  fit(X: Matrix, y: Float64Array, context: FitContext): void {
    context.log(\`fitting \${X.rows} rows, shrinkage \${this.params.shrinkage}\`);
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

const WRONG_FIT = USER_MODEL.replace("fit(X: Matrix, y: Float64Array, context: FitContext): void {", "fit(X: string, y: Float64Array, context: FitContext): void {").replace("${X.rows} rows", "${X.length} characters");

describe("a fresh `mlexp init` workspace in VS Code", () => {
  const { artifacts, page, workspace } = useMlexpSession("fresh-init", {
    folder: (tmp) => {
      const dir = join(tmp, "my-models");
      mkdirSync(dir);
      execFileSync(process.execPath, [cliPath(), "init"], { cwd: dir, stdio: "ignore" });
      writeFileSync(join(dir, "src", "nearestCentroid.ts"), USER_MODEL);
      git(dir, "init", "-q", "-b", "main");
      git(dir, "add", "-A");
      git(dir, "commit", "-q", "-m", "mlexp init");
      return dir;
    },
    recordNotifications: false,
    // Only TypeScript's own suggestions: words of open files would hide a module that does not resolve.
    settings: { "editor.wordBasedSuggestions": "off" },
  });

  const problemRows = () => page().locator(".part.panel .markers-panel .monaco-list-row");

  it("type-checks the scaffolded files and a model written as the README says: a wrong fit is an error, the right one leaves 0 problems", async () => {
    for (const file of ["mlexp.config.ts", "modelImpl1.ts", "featureGeneratorImpl1.ts", "dataAccessObjectImpl1.ts", "nearestCentroid.ts"]) await openFile(page(), file, 120_000);
    // First a mistake, so that the empty panel below means "checked and fine", not "not checked yet".
    writeFileSync(join(workspace(), "src", "nearestCentroid.ts"), WRONG_FIT);
    const problem = await waitForProblem(page(), /Property 'fit' in type 'NearestCentroid' is not assignable to the same property in base type/, 180_000);
    expect((await problem.innerText()).replace(/\s+/g, " ")).toMatch(/\bts ?\(?2416\)?/);
    await screenshot(page(), artifacts, "50-fresh-init-wrong-fit");
    writeFileSync(join(workspace(), "src", "nearestCentroid.ts"), USER_MODEL);
    await problemRows().first().waitFor({ state: "detached", timeout: 120_000 });
    await expect.poll(() => problemRows().count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page().locator(".part.panel .markers-panel").innerText(), { timeout: 30_000 }).toContain("No problems have been detected in the workspace.");
    await openFile(page(), "nearestCentroid.ts");
    await screenshot(page(), artifacts, "51-fresh-init-0-problems");
  });

  it("completes from mlexp's declarations: its exports (Model, FitContext), param.'s builders and a FitContext's members", async () => {
    await openFile(page(), "nearestCentroid.ts");
    /** The suggestions with the cursor `offset` characters into the first `text` of the model file. */
    const suggestionsAt = async (text: string, offset: number) => {
      const { line, column } = positionOf(USER_MODEL, text, offset);
      await goToPosition(page(), line, column);
      return suggestionLabels(page(), 120_000);
    };
    // Inside the import's braces, after "Mo" of Model: the module's exports (TypeScript lists them only when "mlexp" resolves).
    expect(await suggestionsAt("Model, param", 2)).toEqual(expect.arrayContaining(["Model"]));
    await page().keyboard.press("Escape");
    expect(await suggestionsAt("FitContext, type Matrix", 3)).toEqual(expect.arrayContaining(["FitContext"]));
    await page().keyboard.press("Escape");
    expect(await suggestionsAt("param.number", "param.".length)).toEqual(expect.arrayContaining(["number", "integer", "boolean", "string", "numberArray", "stringArray"]));
    await screenshot(page(), artifacts, "52-fresh-init-param-completion");
    await page().keyboard.press("Escape");
    expect(await suggestionsAt("context.log", "context.".length)).toEqual(expect.arrayContaining(["log", "onEpoch", "rng", "seed", "classes", "task"]));
    await screenshot(page(), artifacts, "53-fresh-init-fit-context-completion");
    await page().keyboard.press("Escape");
    // The model's own parameters, typed through ParamValues<typeof params>.
    expect(await suggestionsAt("this.params.shrinkage", "this.params.".length)).toEqual(expect.arrayContaining(["shrinkage"]));
    await page().keyboard.press("Escape");
  });
});
