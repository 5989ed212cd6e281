import { execFileSync } from "node:child_process";
import * as path from "node:path";

/** Integration tests run the bundled CLI, so build it once before any test runs. */
export default function setup(): void {
  execFileSync(process.execPath, [path.join(__dirname, "..", "esbuild.js")], { stdio: "inherit" });
}
