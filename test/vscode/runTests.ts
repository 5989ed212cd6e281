/**
 * `npm run test:vscode`: the mlexp scenarios inside VS Code desktop, with @vscode/test-electron.
 * It downloads VS Code (into .vscode-test/), so it needs network access: it cannot run on the
 * offline build machines, where `npm run test:e2e` covers the same scenarios in code-server. The
 * same bundled suite also runs inside code-server there (test/e2e/vscodeSuite.e2e.test.ts).
 *
 * Env: MLEXP_VSCODE_VERSION (default "stable"; e.g. "1.139.0").
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTests } from "@vscode/test-electron";
import { writeFixtureWorkspace } from "../e2e/mlexp/scenarios";
import { bundleSuite, REPO_ROOT } from "./bundleSuite";

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(REPO_ROOT, "esbuild.js")], { stdio: "inherit" });
  const suite = await bundleSuite(join(REPO_ROOT, ".vscode-test", "suite"));
  const tmp = mkdtempSync(join(tmpdir(), "mlexp-vscode-test-"));
  try {
    const workspace = writeFixtureWorkspace(join(tmp, "churn-project"));
    await runTests({
      version: process.env.MLEXP_VSCODE_VERSION ?? "stable",
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: suite,
      launchArgs: [workspace, "--disable-extensions", "--disable-workspace-trust", "--skip-welcome", "--skip-release-notes", `--user-data-dir=${join(tmp, "user-data")}`],
      extensionTestsEnv: { MLEXP_CLI: join(REPO_ROOT, "dist", "cli.js") },
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(message);
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo/.test(message)) {
    console.error("@vscode/test-electron downloads VS Code and needs network access; offline, `npm run test:e2e` runs the same scenarios in code-server.");
  }
  process.exit(1);
});
