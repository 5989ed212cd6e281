import * as path from "node:path";
import { listFiles, PackageManager } from "@vscode/vsce";
import { describe, expect, it } from "vitest";

// What `npm run package` puts in the .vsix, asked of vsce itself (with the .vscodeignore in force).

const ROOT = path.resolve(__dirname, "../../..");
/** The comparison webview's page: its script and stylesheet, and the codicon stylesheet its icons need. */
const PANEL_FILES = ["dist/webview/compare.js", "dist/webview/compare.css", "dist/webview/codicon.css", "dist/webview/run.js", "dist/webview/run.css"];
const PANEL_FONT = /^dist\/webview\/codicon-[\w-]+\.ttf$/;

describe("the .vsix file list", () => {
  it("holds the bundles, the wasm files, esbuild's runtime, the comparison panel's page, the workspace declarations and the icon, and nothing else", async () => {
    const files = (await listFiles({ cwd: ROOT, packageManager: PackageManager.None })).map((f) => f.replace(/\\/g, "/"));
    for (const needed of ["package.json", "dist/extension.js", "dist/worker.js", "dist/objectWorker.js", "dist/chunkWorker.js", "dist/snapshotWorker.js", "dist/sql-wasm.wasm", "dist/tfjs/tfjs-backend-wasm.wasm", "dist/node_modules/esbuild/lib/main.js", "media/mlexp.svg", "dist/workspace-types/stamp", "dist/workspace-types/node_modules/mlexp/index.d.ts", "dist/workspace-types/node_modules/@types/node/index.d.ts", ...PANEL_FILES]) {
      expect(files, needed).toContain(needed);
    }
    const unexpected = files.filter(
      (f) =>
        !/^(package\.json|README\.md|LICENSE(\.\w+)?|CHANGELOG\.md)$/.test(f) &&
        !/^media\//.test(f) &&
        !/^dist\/(extension|worker|objectWorker|chunkWorker|snapshotWorker|server)\.js$/.test(f) &&
        !/^dist\/(sql-wasm\.wasm|tfjs\/.*\.wasm|node_modules\/(esbuild|@esbuild)\/.*)$/.test(f) &&
        // The declarations the extension copies into a workspace's .mlexp/types (mlexp's, Node's).
        !/^dist\/workspace-types\/(stamp|node_modules\/(mlexp|@types\/node|undici-types)\/.*\.(d\.ts|json)|node_modules\/(@types\/node|undici-types)\/LICENSE)$/.test(f) &&
        !PANEL_FILES.includes(f) &&
        !PANEL_FONT.test(f),
    );
    expect(unexpected).toEqual([]);
    expect(files.some((f) => f.endsWith(".map"))).toBe(false);
    // The codicon font esbuild copied next to codicon.css (its name carries a content hash).
    expect(files.filter((f) => PANEL_FONT.test(f))).toHaveLength(1);
  });
});
