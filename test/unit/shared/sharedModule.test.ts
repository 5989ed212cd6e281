import * as fs from "node:fs";
import * as path from "node:path";
import { build } from "esbuild";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import * as library from "../../../src/core";

const sharedDir = path.resolve(__dirname, "../../../src/shared");

function sharedFiles(dir = sharedDir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sharedFiles(full) : entry.name.endsWith(".ts") ? [full] : [];
  });
}

describe("src/shared, the helpers the webview, the extension and the server share", () => {
  it("bundles for a browser with nothing from Node, VS Code or the library", async () => {
    const result = await build({
      entryPoints: sharedFiles(),
      bundle: true,
      write: false,
      platform: "browser",
      format: "esm",
      outdir: "out",
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs).map((input) => path.relative(path.dirname(sharedDir), path.resolve(input)));
    expect(inputs.length).toBeGreaterThan(5);
    expect(inputs.filter((input) => !input.startsWith(`shared${path.sep}`))).toEqual([]);
  });

  it("is not part of the library's exports", () => {
    for (const helper of ["formatFieldValue", "formatNumber", "thinSeries", "sortRowIndices", "compileFilter", "fieldGroup", "visibleFields", "CONFIG_FILE_NAMES"])
      expect(Object.keys(library)).not.toContain(helper);
    // The library's own comparison API stays.
    expect(Object.keys(library)).toEqual(expect.arrayContaining(["compareRuns", "rankRuns", "flattenRun", "toCsv"]));
  });

  it("refuses, by lint rule, a Node module or a library module", async () => {
    const eslint = new ESLint({ cwd: path.resolve(sharedDir, "../..") });
    const [nodeImport] = await eslint.lintText('import * as fs from "node:fs";\nexport const x = fs;\n', { filePath: path.join(sharedDir, "probe.ts") });
    const [coreImport] = await eslint.lintText('import { Store } from "../core/store/store";\nexport const x = Store;\n', { filePath: path.join(sharedDir, "probe.ts") });
    expect(nodeImport.messages.map((m) => m.ruleId)).toContain("no-restricted-imports");
    expect(coreImport.messages.map((m) => m.ruleId)).toContain("no-restricted-imports");
  });
});
