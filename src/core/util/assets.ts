import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Finds a WebAssembly file at run time. Bundled builds (dist/) carry a copy next to the bundle,
 * copied by esbuild.js; running from source (tests, tsx) finds it in node_modules.
 */
export function locateAsset(bundledName: string, packagePath: string): string {
  const bundled = path.join(__dirname, bundledName);
  if (fs.existsSync(bundled)) return bundled;
  return require.resolve(packagePath);
}
