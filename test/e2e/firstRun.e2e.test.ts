import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openViewContainer, screenshot, viewPane, waitForTreeItem } from "./harness/workbench";
import { USER_COMPONENTS } from "./mlexp/scenarios";
import { useMlexpSession } from "./mlexp/session";
import { widenSideBar } from "./mlexp/ui";

// A folder without mlexp.config.ts: the Components view welcomes the user with "Create Example
// Setup", which writes the quickstart example and lists its components.

describe("mlexp in a folder without mlexp.config.ts", () => {
  const { artifacts, page, workspace: folder } = useMlexpSession("first-run", {
    folder: (tmp) => {
      const dir = join(tmp, "new-project");
      mkdirSync(dir);
      return dir;
    },
    recordNotifications: false,
  });

  it("offers to create the example setup, and then lists its components", async () => {
    await openViewContainer(page(), "ML Experiments", { timeoutMs: 120_000 });
    await widenSideBar(page(), 560);
    const welcome = viewPane(page(), "Components").locator(".welcome-view-content");
    await welcome.filter({ hasText: "This workspace has no mlexp.config.ts" }).waitFor({ state: "visible", timeout: 60_000 });
    await screenshot(page(), artifacts, "40-first-run-welcome");
    await welcome.locator(".monaco-button").filter({ hasText: "Create Example Setup" }).click();
    await page().locator(".tabs-container .tab").filter({ hasText: "mlexp.config.ts" }).waitFor({ state: "visible", timeout: 60_000 });
    await waitForTreeItem(page(), "Components", USER_COMPONENTS.model, { timeoutMs: 120_000 });
    for (const file of ["mlexp.config.ts", "src/modelImpl1.ts", "data/customers.csv"]) expect(existsSync(join(folder(), file)), file).toBe(true);
    await screenshot(page(), artifacts, "41-first-run-example-created");
  });
});
