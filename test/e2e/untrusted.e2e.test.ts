import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCodeServer, type CodeServer } from "./harness/codeServer";
import { clearAllNotifications, e2eArtifactsDir, openViewContainer, openWorkbench, runCommand, screenshot, treeItems, waitForNotification, waitForTreeItem, type Workbench } from "./harness/workbench";
import { openFile, waitForCodeLens } from "./mlexp/editor";
import { requireFreshVsix, trainWithCli, USER_COMPONENTS, vsixPath, writeFixtureWorkspace } from "./mlexp/scenarios";
import { widenSideBar } from "./mlexp/ui";

// The same fixture opened in restricted mode (workspace trust on, folder not trusted): mlexp shows
// the runs and the components (the language server reads their source, it runs none of it), and
// refuses to run the workspace's code, saying why.

const VSIX = vsixPath();

describe("mlexp in an untrusted workspace", () => {
  let tmp: string;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  let cliRunId = "";
  const artifacts = e2eArtifactsDir();

  beforeAll(async () => {
    requireFreshVsix();
    tmp = mkdtempSync(join(tmpdir(), "mlexp-e2e-untrusted-"));
    const workspace = writeFixtureWorkspace(join(tmp, "someone-elses-project"));
    cliRunId = trainWithCli(workspace).run_id;
    server = await startCodeServer({
      workspace,
      vsixOrExtensionDir: VSIX,
      workspaceTrust: true,
      settings: { "workbench.colorTheme": "Default Dark Modern", "security.workspace.trust.enabled": true, "security.workspace.trust.startupPrompt": "never" },
    });
    workbench = await openWorkbench(server.url);
  }, 240_000);

  afterAll(async () => {
    if (server) writeFileSync(join(artifacts, "untrusted-exthost.log"), server.extensionHostLogs());
    await workbench?.close();
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  function page(): Workbench["page"] {
    if (!workbench) throw new Error("the workbench did not open");
    return workbench.page;
  }

  it("lists the runs, the built-ins and the workspace's own components, read from the source without running it", async () => {
    await openViewContainer(page(), "ML Experiments", { timeoutMs: 120_000 });
    await widenSideBar(page(), 560);
    await waitForTreeItem(page(), "Components", USER_COMPONENTS.model, { timeoutMs: 120_000 });
    const labels = (await treeItems(page(), "Components")).map((item) => item.label);
    expect(labels).toContain("LogisticRegression");
    expect(labels).not.toContain("Built-ins only: the workspace is not trusted");
    await waitForTreeItem(page(), "Runs", cliRunId);
    await screenshot(page(), artifacts, "30-untrusted-views");
  });

  it("refuses to train, saying why, with a way to trust the workspace", async () => {
    await runCommand(page(), "mlexp: Train Model…");
    const warning = await waitForNotification(page(), /^Cannot train a model\. mlexp does not train in a restricted workspace: training and reproducing run its code/);
    expect(await warning.locator(".monaco-button").filter({ hasText: "Manage Workspace Trust" }).count()).toBe(1);
    await screenshot(page(), artifacts, "31-untrusted-train-refused");
  });

  it('shows "▶ Train this model" above the model class, and refuses to train from it too', async () => {
    await clearAllNotifications(page());
    await openFile(page(), "modelImpl1.ts");
    const lens = await waitForCodeLens(page(), "▶ Train this model", { link: true, timeoutMs: 120_000 });
    await lens.click();
    await waitForNotification(page(), /^Cannot train a model\. mlexp does not train in a restricted workspace/);
    await screenshot(page(), artifacts, "32-untrusted-lens-refused");
  });
});
