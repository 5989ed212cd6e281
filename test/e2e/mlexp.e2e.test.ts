import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clearAllNotifications,
  clickNotificationButton,
  openViewContainer,
  quickPickSelect,
  runCommand,
  screenshot,
  treeItems,
  waitForNotification,
  waitForTreeItem,
  webviewFrame,
} from "./harness/workbench";
import { BUILTIN_COMPONENTS, INVALID_PARAMS_MESSAGE, LONG_TRAINING, RUN_ID, trainWithCli, USER_COMPONENTS } from "./mlexp/scenarios";
import { useMlexpSession } from "./mlexp/session";
import { chooseFromContextMenu, runIdOf, runRow, runRowsMatching, seenNotifications, toggleTreeRow, trainFromPalette, trainingsStatusText, waitForQuickInputTitle, widenSideBar } from "./mlexp/ui";

// mlexp's packaged extension in a real VS Code (code-server 1.139 + Chromium), used the way a
// person would. `npm run test:e2e` packages the .vsix first; this file installs it.

const CONTAINER = "ML Experiments";
/** Steps that wait for a training process or the workbench on a loaded two-core machine. */
const SLOW = { timeoutMs: 120_000 };

describe("mlexp in VS Code (code-server)", () => {
  let started = Date.now();
  beforeAll(() => {
    started = Date.now();
  });
  const { artifacts, durations, page, server, timed, workspace } = useMlexpSession("ext", {
    // A cancelled training gets plenty of time to record itself on a loaded machine.
    settings: { "mlexp.cancelTimeoutSeconds": 20 },
    artifactsPrefix: "",
    durationsLabel: "durations",
  });
  beforeAll(() => {
    durations.startup = Date.now() - started;
  });

  // Runs before the session's afterAll, while code-server is still up.
  afterAll(() => {
    const codeServer = server();
    if (codeServer) {
      writeFileSync(join(artifacts, "code-server.log"), codeServer.logs());
      const activation = codeServer.extensionHostLogs().match(/mlexp activated in ([\d.]+) ms/);
      console.log(`[e2e] mlexp activation: ${activation ? `${activation[1]} ms` : "not found in the extension host logs"}`);
    }
    durations.total = Date.now() - started;
  });

  it("lists the built-in and the workspace's components in the Components view", () =>
    timed("components", async () => {
      await openViewContainer(page(), CONTAINER, SLOW);
      await widenSideBar(page(), 560);
      // The training process loads mlexp.config.ts (esbuild) before the view fills.
      await waitForTreeItem(page(), "Components", USER_COMPONENTS.model, SLOW);
      await screenshot(page(), artifacts, "01-components-view");
      // Trees render only the rows in view: read, collapse the models to bring the rest into view, read again.
      const items = await treeItems(page(), "Components");
      const models = await waitForTreeItem(page(), "Components", "Models");
      await toggleTreeRow(models);
      items.push(...(await treeItems(page(), "Components")));
      await toggleTreeRow(models);
      const byLabel = Object.fromEntries(items.map((item) => [item.label, item.description]));
      expect(byLabel).toMatchObject({
        Models: expect.stringContaining("1 from this workspace"),
        [USER_COMPONENTS.model]: "workspace · classification",
        [USER_COMPONENTS.featureGenerator]: "workspace",
        [USER_COMPONENTS.dataset]: "workspace",
        LogisticRegression: "built-in · classification",
        CsvFile: "built-in",
      });
      for (const name of BUILTIN_COMPONENTS) expect(byLabel[name], name).toBeDefined();
    }));

  it("trains from the command palette with progress, and the run shows as finished", () =>
    timed("train", async () => {
      await trainFromPalette(page(), {
        ...USER_COMPONENTS,
        // A small grid search: several progress steps, still a few seconds.
        params: { [USER_COMPONENTS.model]: '{"shrinkage": [0, 0.1, 0.3]}' },
        paramSteps: [USER_COMPONENTS.model, USER_COMPONENTS.featureGenerator, USER_COMPONENTS.dataset],
      });
      const done = await waitForNotification(page(), /^Run \d{8}-\d{6}-[0-9a-f]{8} finished: ModelImpl1 accuracy \d/, SLOW);
      await screenshot(page(), artifacts, "02-training-finished");
      const runId = ((await done.innerText()).match(/Run (\S+) finished/) ?? [])[1];
      const seen = await seenNotifications(page());
      expect(seen.some((text) => /^Training ModelImpl1 on DataAccessObjectImpl1/.test(text)), seen.join("\n")).toBe(true);
      // The search is over before the notification can show its steps; the log has every phase.
      const log = server()?.extensionHostLogs() ?? "";
      for (const phase of ["Loading data", "Searching hyperparameters", "Fitting", "Evaluating", "Saving"]) {
        expect(log).toContain(`[info] Training ModelImpl1 on DataAccessObjectImpl1: ${phase}`);
      }
      await openViewContainer(page(), CONTAINER);
      await runRow(page(), runId).waitFor({ state: "visible", timeout: 30_000 });
      // The row may still show the last progress for a moment, until the final write is read.
      await expect.poll(() => runRowsMatching(page(), /^ModelImpl1 · accuracy \d/), { timeout: 30_000 }).toHaveLength(1);
      const [row] = await runRowsMatching(page(), /^ModelImpl1 · accuracy \d/);
      expect(runIdOf(row)).toBe(runId);
      expect(row.icon).toContain("codicon-pass");
      await screenshot(page(), artifacts, "03-runs-view-finished");
    }));

  it("opens a clicked run as a rendered page: metrics, parameters with defaults, trials, code, dataset, reproductions, artifacts and actions", () =>
    timed("runPage", async () => {
      const [row] = await runRowsMatching(page(), /^ModelImpl1 · accuracy \d/);
      const runId = runIdOf(row);
      await runRow(page(), runId).click();
      await page().locator(".tabs-container .tab .label-name", { hasText: `Run ${runId}` }).waitFor({ state: "visible", timeout: SLOW.timeoutMs });
      const frame = webviewFrame(page());
      const title = frame.locator(".run-header .title");
      await title.waitFor({ state: "visible", timeout: SLOW.timeoutMs });
      expect(await title.innerText()).toMatch(/^finished\s+ModelImpl1 · accuracy \d/);
      expect(await frame.locator(".run-summary").innerText()).toContain(runId);
      expect(await frame.locator(".section-title").allInnerTexts()).toEqual(["Metrics", "Parameters", "Learning curves", "Search trials", "Code", "Dataset", "Reproductions", "Artifacts"]);
      // The palette's training searched shrinkage over three values; temperature kept its default.
      const params = (await frame.locator(".component-params").first().innerText()).replace(/\s+/g, " ");
      expect(params).toMatch(/shrinkage \S+ 0\.1 (default|changed) · searched \[0,0\.1,0\.3\]/);
      expect(params).toMatch(/temperature 1 1 default/);
      expect(await frame.locator("section[aria-label='Search trials'] tbody tr").count()).toBe(3);
      expect(await frame.locator("section[aria-label='Search trials'] canvas").count()).toBe(1);
      expect(await frame.locator("section[aria-label='Code'] dd").first().innerText()).toMatch(/^[0-9a-f]{40}$/);
      expect(await frame.locator("section[aria-label='Dataset']").innerText()).toMatch(/rows\s+800/);
      expect(await frame.locator("section[aria-label='Artifacts'] tbody tr").count()).toBeGreaterThan(0);
      expect(await frame.locator(".actions-bar vscode-button").allInnerTexts()).toEqual(["Reproduce", "Compare with…", "Checkout code", "Open in worktree", "Open artifacts", "Copy run_id"]);
      await screenshot(page(), artifacts, "03b-run-page");
    }));

  it("cancels a long training from its notification, and the run shows as cancelled", () =>
    timed("cancel", async () => {
      await trainFromPalette(page(), {
        model: LONG_TRAINING.model,
        featureGenerator: LONG_TRAINING.featureGenerator,
        dataset: LONG_TRAINING.dataset,
        params: { [LONG_TRAINING.model]: JSON.stringify(LONG_TRAINING.modelParams), [LONG_TRAINING.dataset]: JSON.stringify(LONG_TRAINING.datasetParams) },
        paramSteps: [LONG_TRAINING.model, LONG_TRAINING.dataset],
      });
      // The run is in the Runs view from the start (before it is recorded, as a training of this window).
      await expect.poll(() => runRowsMatching(page(), /^MLPClassifierTfjs · /), { timeout: 60_000 }).toHaveLength(1);
      await screenshot(page(), artifacts, "04a-training-visible-from-the-start");
      const progress = /^Training MLPClassifierTfjs on Synthetic: Fitting · Epoch \d+/;
      await waitForNotification(page(), progress, SLOW);
      await expect.poll(() => runRowsMatching(page(), /^MLPClassifierTfjs · epoch \d+/), { timeout: 60_000 }).toHaveLength(1);
      const [running] = await runRowsMatching(page(), /^MLPClassifierTfjs · epoch/);
      expect(running.icon).toMatch(/codicon-sync.*codicon-modifier-spin|codicon-modifier-spin.*codicon-sync/);
      expect(await trainingsStatusText(page())).toMatch(/1 training/);
      await screenshot(page(), artifacts, "04-long-training-running");

      await clickNotificationButton(page(), "Cancel", { notification: progress });
      await waitForNotification(page(), "Training MLPClassifierTfjs on Synthetic: cancelled.", SLOW);
      await expect.poll(() => runRowsMatching(page(), /^MLPClassifierTfjs · cancelled$/), { timeout: 60_000 }).toHaveLength(1);
      const [cancelled] = await runRowsMatching(page(), /^MLPClassifierTfjs/);
      expect(cancelled.label).toBe("MLPClassifierTfjs · cancelled");
      expect(cancelled.icon).toContain("codicon-circle-slash");
      await expect.poll(() => trainingsStatusText(page()), { timeout: 30_000 }).toBe("");
      await screenshot(page(), artifacts, "05-long-training-cancelled");
    }));

  it("shows a run trained by the CLI in the same workspace without a manual refresh", () =>
    timed("cli", async () => {
      const before = (await treeItems(page(), "Runs")).map(runIdOf);
      const run = trainWithCli(workspace());
      expect(run.status).toBe("finished");
      expect(run.run_id).toMatch(RUN_ID);
      expect(before).not.toContain(run.run_id);
      await runRow(page(), run.run_id).waitFor({ state: "visible", timeout: 60_000 });
      // The view may first have read the run's "running" row, written before it finished.
      await expect.poll(() => runRowsMatching(page(), /^LogisticRegression · accuracy \d/), { timeout: 30_000 }).toHaveLength(1);
      const [row] = await runRowsMatching(page(), /^LogisticRegression · accuracy \d/);
      expect(runIdOf(row)).toBe(run.run_id);
      await screenshot(page(), artifacts, "06-cli-run-appeared");
    }));

  it("refuses an invalid parameter in the parameter box with the library's message, so nothing starts and nothing is recorded", () =>
    timed("invalidParams", async () => {
      await runCommand(page(), "mlexp: Train Model…");
      await waitForQuickInputTitle(page(), /Train Model \(1\/\d\): Model/);
      await quickPickSelect(page(), USER_COMPONENTS.model);
      await waitForQuickInputTitle(page(), /: Feature generator$/);
      await quickPickSelect(page(), USER_COMPONENTS.featureGenerator);
      await waitForQuickInputTitle(page(), /: Data access object$/);
      await quickPickSelect(page(), USER_COMPONENTS.dataset);
      await waitForQuickInputTitle(page(), new RegExp(`${USER_COMPONENTS.model} parameters`));
      const box = page().locator(".quick-input-widget .quick-input-box input");
      await box.fill('{"shrinkage": 5}');
      await expect.poll(() => page().locator(".quick-input-widget .quick-input-message").innerText(), { timeout: 30_000 }).toBe(INVALID_PARAMS_MESSAGE);
      await screenshot(page(), artifacts, "07-invalid-params-refused");
      await box.press("Enter");
      // Still the same step: the value was refused.
      await waitForQuickInputTitle(page(), new RegExp(`${USER_COMPONENTS.model} parameters`));
      await box.press("Escape");
      await page().locator(".quick-input-widget").waitFor({ state: "hidden", timeout: 30_000 });
      await clearAllNotifications(page());
      // Nothing was recorded for the refused request: 3 runs (palette, cancelled, CLI).
      expect((await treeItems(page(), "Runs")).filter((item) => RUN_ID.test(runIdOf(item)))).toHaveLength(3);
    }));

  it("deletes a run from its context menu after a modal confirmation", () =>
    timed("delete", async () => {
      await page().keyboard.press("Escape");
      const [cancelled] = await runRowsMatching(page(), /^MLPClassifierTfjs · cancelled$/);
      const cancelledId = runIdOf(cancelled);
      const row = runRow(page(), cancelledId);
      // VS Code's menus ignore clicks in their first moments: the shared helper waits that out.
      await chooseFromContextMenu(row, "Delete Run", 30_000, () => screenshot(page(), artifacts, "09-run-context-menu", { keepHovers: true }));
      const dialog = page().locator(".monaco-dialog-box");
      await dialog.filter({ hasText: `Delete run ${cancelledId}?` }).waitFor({ state: "visible", timeout: 30_000 });
      await screenshot(page(), artifacts, "10-delete-confirmation");
      await dialog.locator(".monaco-button").filter({ hasText: /^Delete$/ }).click();
      await row.waitFor({ state: "detached", timeout: 30_000 });
      expect((await treeItems(page(), "Runs")).filter((item) => RUN_ID.test(runIdOf(item)))).toHaveLength(2);
      expect(existsSync(join(workspace(), ".mlexp", "runs", cancelledId))).toBe(false);
      await screenshot(page(), artifacts, "11-run-deleted");
    }));
});
