import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCodeServer, type CodeServer } from "./harness/codeServer";
import { e2eArtifactsDir, openViewContainer, openWorkbench, screenshot, viewPane, waitForTreeItem, type Workbench } from "./harness/workbench";
import { requireFreshVsix, USER_COMPONENTS } from "./mlexp/scenarios";
import { widenSideBar } from "./mlexp/ui";

// A folder without mlexp.config.ts: the Components view welcomes the user with "Create Example
// Setup", which writes the quickstart example and lists its components.

describe("mlexp in a folder without mlexp.config.ts", () => {
  let tmp: string;
  let folder: string;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  const artifacts = e2eArtifactsDir();

  beforeAll(async () => {
    const vsix = requireFreshVsix();
    tmp = mkdtempSync(join(tmpdir(), "mlexp-e2e-first-run-"));
    folder = join(tmp, "new-project");
    mkdirSync(folder);
    server = await startCodeServer({ workspace: folder, vsixOrExtensionDir: vsix, settings: { "workbench.colorTheme": "Default Dark Modern" } });
    workbench = await openWorkbench(server.url);
  }, 240_000);

  afterAll(async () => {
    if (server) writeFileSync(join(artifacts, "first-run-exthost.log"), server.extensionHostLogs());
    await workbench?.close();
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  function page(): Workbench["page"] {
    if (!workbench) throw new Error("the workbench did not open");
    return workbench.page;
  }

  it("offers to create the example setup, and then lists its components", async () => {
    await openViewContainer(page(), "ML Experiments", { timeoutMs: 120_000 });
    await widenSideBar(page(), 560);
    const welcome = viewPane(page(), "Components").locator(".welcome-view-content");
    await welcome.filter({ hasText: "This workspace has no mlexp.config.ts" }).waitFor({ state: "visible", timeout: 60_000 });
    await screenshot(page(), artifacts, "40-first-run-welcome");
    await welcome.locator(".monaco-button").filter({ hasText: "Create Example Setup" }).click();
    await page().locator(".tabs-container .tab").filter({ hasText: "mlexp.config.ts" }).waitFor({ state: "visible", timeout: 60_000 });
    await waitForTreeItem(page(), "Components", USER_COMPONENTS.model, { timeoutMs: 120_000 });
    for (const file of ["mlexp.config.ts", "src/modelImpl1.ts", "data/customers.csv"]) expect(existsSync(join(folder, file)), file).toBe(true);
    await screenshot(page(), artifacts, "41-first-run-example-created");
  });
});
