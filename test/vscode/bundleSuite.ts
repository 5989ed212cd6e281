import { join, resolve } from "node:path";
import { build } from "esbuild";

export const REPO_ROOT = resolve(__dirname, "..", "..");

/**
 * Bundles the suite into one CommonJS file that an extension host can require (`vscode` is
 * provided by the host). Returns its path.
 */
export async function bundleSuite(outDir: string): Promise<string> {
  const outfile = join(outDir, "index.js");
  await build({
    entryPoints: [join(REPO_ROOT, "test", "vscode", "suite", "index.ts")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    external: ["vscode"],
    sourcemap: "inline",
    logLevel: "warning",
  });
  return outfile;
}
