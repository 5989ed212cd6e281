import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clearAllNotifications, openViewContainer, runCommand, screenshot, treeItems, waitForNotification, waitForTreeItem } from "./harness/workbench";
import { openFile, waitForCodeLens } from "./mlexp/editor";
import { trainWithCli, USER_COMPONENTS, writeFixtureWorkspace } from "./mlexp/scenarios";
import { useMlexpSession } from "./mlexp/session";
import { runRow, widenSideBar } from "./mlexp/ui";

// The same fixture opened in restricted mode (workspace trust on, folder not trusted): mlexp shows
// the runs and the components (the language server reads their source, it runs none of it), and
// refuses to run the workspace's code, saying why.

describe("mlexp in an untrusted workspace", () => {
  let cliRunId = "";
  const { artifacts, page } = useMlexpSession("untrusted", {
    folder: (tmp) => writeFixtureWorkspace(join(tmp, "someone-elses-project")),
    prepareWorkspace: (workspace) => {
      cliRunId = trainWithCli(workspace).run_id;
    },
    workspaceTrust: true,
    settings: { "security.workspace.trust.enabled": true, "security.workspace.trust.startupPrompt": "never" },
    recordNotifications: false,
  });

  it("lists the runs, the built-ins and the workspace's own components, read from the source without running it", async () => {
    await openViewContainer(page(), "ML Experiments", { timeoutMs: 120_000 });
    await widenSideBar(page(), 560);
    await waitForTreeItem(page(), "Components", USER_COMPONENTS.model, { timeoutMs: 120_000 });
    const labels = (await treeItems(page(), "Components")).map((item) => item.label);
    expect(labels).toContain("LogisticRegression");
    expect(labels).not.toContain("Built-ins only: the workspace is not trusted");
    await runRow(page(), cliRunId).waitFor({ state: "visible", timeout: 30_000 });
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
