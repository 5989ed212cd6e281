import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundleSuite } from "../vscode/bundleSuite";
import { startCodeServer, type CodeServer } from "./harness/codeServer";
import { e2eArtifactsDir, openWorkbench, screenshot, type Workbench } from "./harness/workbench";
import { REPO_ROOT, requireFreshVsix, vsixPath, writeFixtureWorkspace } from "./mlexp/scenarios";

// The @vscode/test-electron suite (test/vscode) cannot download VS Code desktop here, so this runs
// the very same bundled suite inside code-server's extension host instead: a tiny extension
// requires it and calls its run(), as test-electron would, and writes the outcome to a file.

const VSIX = vsixPath();

/** An extension that runs the suite once the workbench has started, after mlexp (a dependency). */
async function writeSuiteHost(dir: string, resultFile: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  await bundleSuite(dir);
  const host = {
    publisher: "mlexp-e2e",
    name: "vscode-suite-host",
    version: "0.0.1",
    engines: { vscode: "^1.80.0" },
    main: "./host.js",
    activationEvents: ["onStartupFinished"],
    extensionDependencies: ["mlexp.mlexp"],
  };
  writeFileSync(join(dir, "package.json"), JSON.stringify(host, null, 2));
  writeFileSync(
    join(dir, "host.js"),
    `const fs = require("fs");
exports.activate = () => {
  const lines = [];
  const log = (line) => { lines.push(String(line)); console.log(line); };
  require("./index.js").run(log).then(
    () => fs.writeFileSync(${JSON.stringify(resultFile)}, JSON.stringify({ ok: true, lines })),
    (error) => fs.writeFileSync(${JSON.stringify(resultFile)}, JSON.stringify({ ok: false, error: String(error && error.stack || error), lines })),
  );
};
`,
  );
  return dir;
}

describe("the @vscode/test-electron suite, inside code-server", () => {
  let tmp: string | undefined;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;

  afterAll(async () => {
    const artifacts = e2eArtifactsDir();
    if (server) writeFileSync(join(artifacts, "vscode-suite-exthost.log"), server.extensionHostLogs());
    await workbench?.close();
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("passes every scenario", async () => {
    requireFreshVsix();
    tmp = mkdtempSync(join(tmpdir(), "mlexp-e2e-suite-"));
    const resultFile = join(tmp, "result.json");
    const workspace = writeFixtureWorkspace(join(tmp, "churn-project"));
    server = await startCodeServer({
      workspace,
      vsixOrExtensionDir: VSIX,
      additionalExtensionDirs: [await writeSuiteHost(join(tmp, "suite-host"), resultFile)],
      env: { MLEXP_CLI: join(REPO_ROOT, "dist", "cli.js") },
    });
    // The extension host starts when a window connects.
    workbench = await openWorkbench(server.url);
    await expect.poll(() => existsSync(resultFile), { timeout: 170_000, interval: 500 }).toBe(true);
    await screenshot(workbench.page, e2eArtifactsDir(), "20-vscode-suite-done");
    const result = JSON.parse(readFileSync(resultFile, "utf8")) as { ok: boolean; error?: string; lines: string[] };
    console.log(`[e2e] test-electron suite in code-server:\n${result.lines.join("\n")}`);
    expect(result.error ?? "").toBe("");
    expect(result.ok).toBe(true);
    expect(result.lines.filter((line) => line.includes("✓"))).toHaveLength(13);
  }, 240_000);
});
