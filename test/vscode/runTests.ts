/**
 * `npm run test:vscode`: the mlexp scenarios inside VS Code desktop, run by the standard runner,
 * @vscode/test-cli (`vscode-test`) with mocha, over @vscode/test-electron. It downloads VS Code
 * (into .vscode-test/), so it needs network access: it cannot run on the offline build machines,
 * where `npm run test:e2e` covers the same scenarios in code-server, the bundled suite included
 * (test/e2e/vscodeSuite.e2e.test.ts).
 *
 * This script builds mlexp, bundles the suite, writes the fixture workspace and a test-cli
 * configuration for it, then runs `vscode-test --config` on that configuration.
 * Env: MLEXP_VSCODE_VERSION (default "stable"; e.g. "1.139.0").
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFixtureWorkspace } from "../e2e/mlexp/scenarios";
import { bundleSuite, REPO_ROOT } from "./bundleSuite";

async function main(): Promise<number> {
  execFileSync(process.execPath, [join(REPO_ROOT, "esbuild.js")], { stdio: "inherit" });
  const suiteDir = join(REPO_ROOT, ".vscode-test", "suite");
  await bundleSuite(suiteDir);
  const tmp = mkdtempSync(join(tmpdir(), "mlexp-vscode-test-"));
  try {
    const workspace = writeFixtureWorkspace(join(tmp, "churn-project"));
    // test-cli resolves @vscode/test-electron from the configuration's folder: keep it in the repository.
    const config = join(REPO_ROOT, ".vscode-test", "vscode-test.config.mjs");
    const settings = {
      label: "mlexp",
      files: join(suiteDir, "mlexp.test.js"),
      version: process.env.MLEXP_VSCODE_VERSION ?? "stable",
      extensionDevelopmentPath: REPO_ROOT,
      workspaceFolder: workspace,
      launchArgs: ["--disable-extensions", "--disable-workspace-trust", "--skip-welcome", "--skip-release-notes", `--user-data-dir=${join(tmp, "user-data")}`],
      env: { MLEXP_CLI: join(REPO_ROOT, "dist", "cli.js") },
      mocha: { ui: "tdd", timeout: 120_000 },
    };
    writeFileSync(config, `export default ${JSON.stringify(settings, null, 2)};\n`);
    const cli = join(REPO_ROOT, "node_modules", "@vscode", "test-cli", "out", "bin.mjs");
    const result = spawnSync(process.execPath, [cli, "--config", config], { cwd: REPO_ROOT, stdio: ["ignore", "inherit", "pipe"], encoding: "utf8" });
    process.stderr.write(result.stderr ?? "");
    if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo/.test(result.stderr ?? "")) {
      console.error("@vscode/test-electron downloads VS Code and needs network access; offline, `npm run test:e2e` runs the same scenarios in code-server.");
    }
    return result.status ?? 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
