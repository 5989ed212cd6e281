import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clickNotificationButton, openViewContainer, quickPickSelect, screenshot, treeItems, waitForNotification, waitForTreeItem } from "./harness/workbench";
import { codeLensTexts, editorText, goToPosition, openFile, positionOf, quickFix, suggestionLabels, waitForCodeLens, waitForProblem } from "./mlexp/editor";
import { panelTab, rankedRunIds } from "./mlexp/comparePanel";
import { LOOKUPS_FILE, USER_COMPONENTS } from "./mlexp/scenarios";
import { useMlexpSession } from "./mlexp/session";
import { chooseFromContextMenu, runIdOf, runRow, runRowsMatching, waitForQuickInputTitle, widenSideBar } from "./mlexp/ui";

// The language server in the packaged extension, in a real VS Code (code-server + Chromium): the
// Components view fills from its index, "▶ Train this model" above the model class trains, its
// run count follows, and lookups get diagnostics, a quick fix and completion. The protocol tests
// (test/integration/server) cover each feature in detail; this checks they reach the editor.

const CONTAINER = "ML Experiments";
const MODEL_FILE = "modelImpl1.ts";
/** Steps that wait for the server's first index, a training process or the workbench on a loaded two-core machine. */
const SLOW = { timeoutMs: 120_000 };

describe("mlexp's language features in VS Code (code-server)", () => {
  let runId = "";
  const { artifacts, page, timed, workspace } = useMlexpSession("language", {
    prepareWorkspace: (workspace) => writeFileSync(join(workspace, LOOKUPS_FILE.path), LOOKUPS_FILE.text),
    durationsLabel: "language features durations",
  });

  it("fills the Components view from the index before anything was trained", () =>
    timed("componentsFromIndex", async () => {
      await openViewContainer(page(), CONTAINER, SLOW);
      await widenSideBar(page(), 520);
      await waitForTreeItem(page(), "Components", USER_COMPONENTS.model, SLOW);
      const labels = (await treeItems(page(), "Components")).map((item) => item.label);
      expect(labels).toEqual(expect.arrayContaining([USER_COMPONENTS.model, "LogisticRegression"]));
      await screenshot(page(), artifacts, "20-components-from-index");
    }));

  it("offers a tsconfig.json that maps \"mlexp\" to its declarations in an existing workspace, and writes it on a yes", () =>
    timed("tsconfigOffer", async () => {
      const offer = /^TypeScript cannot resolve "mlexp" in this workspace/;
      await waitForNotification(page(), offer, SLOW);
      expect(existsSync(join(workspace(), ".mlexp", "types", "node_modules", "mlexp", "index.d.ts"))).toBe(true);
      expect(existsSync(join(workspace(), "tsconfig.json"))).toBe(false);
      await screenshot(page(), artifacts, "20b-tsconfig-offered");
      await clickNotificationButton(page(), "Add tsconfig.json", { notification: offer });
      await expect.poll(() => existsSync(join(workspace(), "tsconfig.json")), { timeout: 30_000 }).toBe(true);
      expect(readFileSync(join(workspace(), "tsconfig.json"), "utf8")).toContain('"mlexp": [');
    }));

  it('shows "▶ Train this model" above the model class, with no runs yet', () =>
    timed("lens", async () => {
      await openFile(page(), MODEL_FILE);
      await waitForCodeLens(page(), "▶ Train this model", { link: true, ...SLOW });
      await waitForCodeLens(page(), "no runs yet", { link: false });
      await screenshot(page(), artifacts, "21-train-lens");
    }));

  it("trains from the lens with two answers, the feature generator and the dataset, and the run shows as finished", () =>
    timed("trainFromLens", async () => {
      const lens = await waitForCodeLens(page(), "▶ Train this model", { link: true });
      await lens.click();
      // The lens gave the model: two questions, and the parameters are the defaults (no run of this combination yet).
      await waitForQuickInputTitle(page(), /^Train ModelImpl1 \(1\/2\): Feature generator$/);
      await screenshot(page(), artifacts, "22-lens-quick-pick");
      await quickPickSelect(page(), USER_COMPONENTS.featureGenerator);
      await waitForQuickInputTitle(page(), /^Train ModelImpl1 \(2\/2\): Data access object$/);
      await screenshot(page(), artifacts, "22b-lens-second-answer");
      await quickPickSelect(page(), USER_COMPONENTS.dataset);
      const done = await waitForNotification(page(), /^Run \S+ finished: ModelImpl1 accuracy \d/, SLOW);
      runId = ((await done.innerText()).match(/Run (\S+) finished/) ?? [])[1] ?? "";
      expect(runId).not.toBe("");
      await runRow(page(), runId).waitFor({ state: "visible", timeout: 60_000 });
      await expect.poll(() => runRowsMatching(page(), /^ModelImpl1 · accuracy \d/), { timeout: 30_000 }).toHaveLength(1);
      const [row] = await runRowsMatching(page(), /^ModelImpl1 · accuracy \d/);
      expect(runIdOf(row)).toBe(runId);
      expect(row.icon).toContain("codicon-pass");
      await screenshot(page(), artifacts, "23-lens-run-finished");
    }));

  it('updates the lens to "1 run · best accuracy …", which opens the comparison of that model\'s runs', () =>
    timed("lensUpdated", async () => {
      const runs = await waitForCodeLens(page(), /^1 run · best accuracy \d/, { link: true, ...SLOW });
      expect(await codeLensTexts(page())).toEqual(["▶ Train this model", "Train with parameters…", expect.stringMatching(/^1 run · best accuracy (0\.\d{1,4}|1)$/)]);
      await screenshot(page(), artifacts, "24-lens-updated");
      // mlexp.compareRuns({ model }): the comparison panel follows the model, here with its one run.
      await runs.click();
      await panelTab(page(), `Compare: ${USER_COMPONENTS.model}: 1 run`).waitFor({ state: "visible", timeout: SLOW.timeoutMs });
      await expect.poll(() => rankedRunIds(page()), { timeout: 30_000 }).toEqual([runId]);
      await screenshot(page(), artifacts, "25-lens-opens-comparison");
    }));

  it('"Train with parameters…" checks the parameters as they are typed, with the library\'s messages, and refuses a bad value', () =>
    timed("badParameter", async () => {
      await openFile(page(), MODEL_FILE);
      const lens = await waitForCodeLens(page(), "Train with parameters…", { link: true, ...SLOW });
      await lens.click();
      await waitForQuickInputTitle(page(), /: Feature generator$/);
      await quickPickSelect(page(), USER_COMPONENTS.featureGenerator);
      await waitForQuickInputTitle(page(), /: Data access object$/);
      await quickPickSelect(page(), USER_COMPONENTS.dataset);
      await waitForQuickInputTitle(page(), new RegExp(`${USER_COMPONENTS.model} parameters`));
      const box = page().locator(".quick-input-widget .quick-input-box input");
      // The box starts from the last run of this combination (the lens's run above: the defaults).
      expect(await box.inputValue()).toBe('{"shrinkage": 0.1, "temperature": 1}');
      const message = page().locator(".quick-input-widget .quick-input-message");
      await box.fill('{"shrinkage": "0.05"}');
      await expect.poll(() => message.innerText(), { timeout: 30_000 }).toBe('Invalid parameters for model "ModelImpl1": parameter "shrinkage" must be a number, got "0.05".');
      await screenshot(page(), artifacts, "25b-bad-parameter-refused");
      // Enter does not accept it: the same step stays.
      await box.press("Enter");
      await waitForQuickInputTitle(page(), new RegExp(`${USER_COMPONENTS.model} parameters`));
      await box.fill('{"shrinkge": 0.2}');
      await expect.poll(() => message.innerText(), { timeout: 30_000 }).toContain('has no parameter "shrinkge". Did you mean "shrinkage"?');
      await screenshot(page(), artifacts, "25c-unknown-parameter-did-you-mean");
      await box.press("Escape");
      await page().locator(".quick-input-widget").waitFor({ state: "hidden", timeout: 30_000 });
    }));

  it("trains from the Components view's ▶ with the lens's two answers; its Train with Parameters… is the long flow", () =>
    timed("trainFromComponentsView", async () => {
      await openViewContainer(page(), CONTAINER, SLOW);
      const row = await waitForTreeItem(page(), "Components", USER_COMPONENTS.model, SLOW);
      await row.hover();
      await row.locator('.actions .action-label[aria-label="Train This Model"]').click();
      await waitForQuickInputTitle(page(), /^Train ModelImpl1 \(1\/2\): Feature generator$/);
      await quickPickSelect(page(), USER_COMPONENTS.featureGenerator);
      await waitForQuickInputTitle(page(), /^Train ModelImpl1 \(2\/2\): Data access object$/);
      await screenshot(page(), artifacts, "29b-components-view-two-answers");
      await quickPickSelect(page(), USER_COMPONENTS.dataset);
      // No parameter box: the training starts with the parameters of the combination's last run.
      await waitForNotification(page(), new RegExp(`^Run (?!${runId})\\S+ finished: ModelImpl1 accuracy \\d`), SLOW);

      await chooseFromContextMenu(row, "Train with Parameters…");
      await waitForQuickInputTitle(page(), /: Feature generator$/);
      await quickPickSelect(page(), USER_COMPONENTS.featureGenerator);
      await waitForQuickInputTitle(page(), /: Data access object$/);
      await quickPickSelect(page(), USER_COMPONENTS.dataset);
      await waitForQuickInputTitle(page(), new RegExp(`${USER_COMPONENTS.model} parameters`));
      await screenshot(page(), artifacts, "29c-components-view-train-with-parameters");
      await page().keyboard.press("Escape");
      await page().locator(".quick-input-widget").waitFor({ state: "hidden", timeout: 30_000 });
    }));

  it("marks an unknown name in getModel(…) and offers the registered name as a quick fix", () =>
    timed("diagnostics", async () => {
      await openFile(page(), LOOKUPS_FILE.path.split("/").pop() ?? LOOKUPS_FILE.path);
      const message = `Unknown model "${LOOKUPS_FILE.misspelt}". Did you mean "${USER_COMPONENTS.model}"?`;
      const problem = await waitForProblem(page(), message, SLOW.timeoutMs);
      // The fixture has no node_modules, so VS Code's TypeScript reports its own errors too: this one is mlexp's, at the name.
      const { line: nameLine, column: nameColumn } = positionOf(LOOKUPS_FILE.text, LOOKUPS_FILE.misspelt);
      const row = (await problem.innerText()).replace(/\s+/g, " ");
      expect(row).toMatch(/\bmlexp ?\(?unknown-name\)?/);
      expect(row).toContain(`[Ln ${nameLine}, Col ${nameColumn}]`);
      await screenshot(page(), artifacts, "26-unknown-name-problem");
      const { line, column } = positionOf(LOOKUPS_FILE.text, LOOKUPS_FILE.misspelt, 2);
      await goToPosition(page(), line, column);
      const fix = await quickFix(page(), `Change to "${USER_COMPONENTS.model}"`);
      await screenshot(page(), artifacts, "27-quick-fix", { keepHovers: true });
      await fix.click();
      await expect.poll(() => editorText(page()), { timeout: 30_000 }).toContain(`getModel("${USER_COMPONENTS.model}")`);
      await page().locator(".part.panel .markers-panel .monaco-list-row").filter({ hasText: message }).waitFor({ state: "detached", timeout: 30_000 });
      await screenshot(page(), artifacts, "28-quick-fix-applied");
    }));

  it('completes the registered names inside getModel("")', () =>
    timed("completion", async () => {
      const { line, column } = positionOf(LOOKUPS_FILE.text, 'getModel("")', 'getModel("'.length);
      await goToPosition(page(), line, column);
      const labels = await suggestionLabels(page());
      expect(labels).toEqual(expect.arrayContaining([USER_COMPONENTS.model]));
      await screenshot(page(), artifacts, "29-completion");
      await page().keyboard.press("Escape");
    }));

});
