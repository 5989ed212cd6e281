import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCodeServer, type CodeServer } from "./harness/codeServer";
import { e2eArtifactsDir, openViewContainer, openWorkbench, runCommand, screenshot, treeItems, waitForNotification, waitForTreeItem, type Workbench } from "./harness/workbench";
import { requireFreshVsix, trainWithCli, USER_COMPONENTS, vsixPath, writeFixtureWorkspace } from "./mlexp/scenarios";
import { widenSideBar } from "./mlexp/ui";

// The same fixture opened in restricted mode (workspace trust on, folder not trusted): mlexp shows
// the runs and the built-ins, and refuses to run the workspace's code, saying why.

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

  it("lists the runs and the built-ins, not the workspace's own components", async () => {
    await openViewContainer(page(), "ML Experiments", { timeoutMs: 120_000 });
    await widenSideBar(page(), 560);
    await waitForTreeItem(page(), "Components", "Built-ins only: the workspace is not trusted", { timeoutMs: 120_000 });
    const labels = (await treeItems(page(), "Components")).map((item) => item.label);
    expect(labels).toContain("LogisticRegression");
    expect(labels).not.toContain(USER_COMPONENTS.model);
    await waitForTreeItem(page(), "Runs", cliRunId);
    await screenshot(page(), artifacts, "30-untrusted-views");
  });

  it("refuses to train, saying why, with a way to trust the workspace", async () => {
    await runCommand(page(), "mlexp: Train Model…");
    const warning = await waitForNotification(page(), /^Cannot train a model\. mlexp does not train in a restricted workspace: training, reproducing and listing the workspace's components run its code/);
    expect(await warning.locator(".monaco-button").filter({ hasText: "Manage Workspace Trust" }).count()).toBe(1);
    await screenshot(page(), artifacts, "31-untrusted-train-refused");
  });
});
