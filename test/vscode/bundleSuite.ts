import { join, resolve } from "node:path";
import { build } from "esbuild";

export const REPO_ROOT = resolve(__dirname, "..", "..");

/**
 * Bundles the suite into CommonJS files that an extension host can require (`vscode` is provided
 * by the host): `mlexp.test.js`, the test file @vscode/test-cli's mocha runner loads, and
 * `index.js`, whose run() runs the same scenarios with mocha (bundled in) for other hosts.
 * Returns the path of index.js.
 */
export async function bundleSuite(outDir: string): Promise<string> {
  await build({
    entryPoints: ["index", "mlexp.test"].map((name) => ({ in: join(REPO_ROOT, "test", "vscode", "suite", `${name}.ts`), out: name })),
    outdir: outDir,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    external: ["vscode"],
    sourcemap: "inline",
    logLevel: "error",
  });
  return join(outDir, "index.js");
}
