import type { Locator, Page } from "playwright-core";
import { describeScreen, quickPickSelect, runCommand, viewPane } from "../harness/workbench";

// mlexp-specific steps on top of the harness: the Train Model… flow, the notification recorder,
// rows of the Runs view.

const quickInput = (page: Page): Locator => page.locator(".quick-input-widget");

/** Waits until the quick input shows a step whose title matches (so Enter lands on the right step). */
export async function waitForQuickInputTitle(page: Page, title: RegExp, timeoutMs = 60_000): Promise<void> {
  try {
    await quickInput(page).locator(".quick-input-title").filter({ hasText: title }).waitFor({ state: "visible", timeout: timeoutMs });
  } catch (error) {
    const shown = await quickInput(page).locator(".quick-input-title").allInnerTexts().catch(() => []);
    throw new Error(`no quick input titled ${String(title)} (title shown: ${JSON.stringify(shown)}); on screen: ${await describeScreen(page)}`, { cause: error });
  }
}

/** Answers the parameter box of a step: the prefilled text as is, or `text` instead. */
export async function answerParams(page: Page, component: string, text?: string): Promise<void> {
  await waitForQuickInputTitle(page, new RegExp(`${component} parameters`));
  const box = quickInput(page).locator(".quick-input-box input");
  if (text !== undefined) await box.fill(text);
  await box.press("Enter");
}

export interface TrainAnswers {
  model: string;
  featureGenerator: string;
  dataset: string;
  /** Parameter text per component name; components with parameters not listed keep the prefilled defaults. */
  params?: Record<string, string>;
  /** Components whose parameter step is expected, in order. */
  paramSteps: string[];
}

/** "mlexp: Train Model…" from the command palette, answering each step. */
export async function trainFromPalette(page: Page, answers: TrainAnswers): Promise<void> {
  await runCommand(page, "mlexp: Train Model…");
  await waitForQuickInputTitle(page, /Train Model \(1\/\d\): Model/);
  await quickPickSelect(page, answers.model);
  await waitForQuickInputTitle(page, /: Feature generator$/);
  await quickPickSelect(page, answers.featureGenerator);
  await waitForQuickInputTitle(page, /: Data access object$/);
  await quickPickSelect(page, answers.dataset);
  for (const component of answers.paramSteps) await answerParams(page, component, answers.params?.[component]);
}

/** Ticks these rows of a multi-select quick pick (labelled by run id), then accepts with Enter. */
export async function pickManyAndAccept(page: Page, labels: readonly string[], timeoutMs = 30_000): Promise<void> {
  const row = (label: string) => quickInput(page).locator(".quick-input-list .monaco-list-row").filter({ has: page.locator(".label-name", { hasText: label }) });
  try {
    for (const label of labels) {
      const checkbox = row(label).locator("input[type=checkbox], .monaco-checkbox, .quick-input-list-checkbox").first();
      await row(label).locator(".label-name").first().click({ timeout: timeoutMs });
      await page.waitForFunction(
        (element) => (element as HTMLInputElement).checked === true || (element as Element).classList.contains("checked") || (element as Element).getAttribute("aria-checked") === "true",
        await checkbox.elementHandle({ timeout: timeoutMs }),
        { timeout: timeoutMs },
      );
    }
    await quickInput(page).locator(".quick-input-box input").press("Enter");
    await quickInput(page).waitFor({ state: "hidden", timeout: timeoutMs });
  } catch (error) {
    throw new Error(`could not pick ${labels.join(", ")} in the quick pick; on screen: ${await describeScreen(page)}`, { cause: error });
  }
}

/**
 * Records the text of every notification that appears from now on: a quick training's progress
 * notification can come and go between two polls, the recorder still sees it.
 */
export async function recordNotifications(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __mlexpSeen: string[] }).__mlexpSeen = seen;
    const record = () => {
      for (const element of document.querySelectorAll(".notification-list-item-message")) {
        const text = (element.textContent ?? "").trim();
        if (text && seen[seen.length - 1] !== text && !seen.includes(text)) seen.push(text);
      }
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

export async function seenNotifications(page: Page): Promise<string[]> {
  return page.evaluate(() => [...((window as unknown as { __mlexpSeen?: string[] }).__mlexpSeen ?? [])]);
}

/** The Runs view row of a run, by its id (the end of the row's description: "06:44 · <run id>"). */
export function runRow(page: Page, runId: string): Locator {
  return viewPane(page, "Runs")
    .locator(".monaco-list-row[role=treeitem]")
    .filter({ has: page.locator(".label-description", { hasText: new RegExp(`(^|· )${runId}\\s*$`) }) });
}

/** The run id a Runs view row shows in its description, or "" (a group, a training not recorded yet). */
export function runIdOf(row: { description: string }): string {
  return /\b(\d{8}-\d{6}-[0-9a-f]{8})$/.exec(row.description)?.[1] ?? "";
}

/** The rows whose label matches, e.g. /^ModelImpl1 · accuracy/ (labels are the model and its metric or phase). */
export async function runRowsMatching(page: Page, label: RegExp): Promise<Array<{ label: string; description: string; icon: string }>> {
  const rows = await viewPane(page, "Runs")
    .locator(".monaco-list-row[role=treeitem]")
    .evaluateAll((elements) =>
      elements.map((row) => ({
        label: (row.querySelector(".label-name")?.textContent ?? "").trim(),
        description: (row.querySelector(".label-description")?.textContent ?? "").trim(),
        // The item's own icon, never the twistie a run with search trials has (it is a .codicon too, and comes first).
        icon: [...((row.querySelector(".custom-view-tree-node-item-icon") ?? row.querySelector(".codicon:not(.monaco-tl-twistie)"))?.classList ?? [])].join(" "),
      })),
    );
  return rows.filter((row) => label.test(row.label));
}

/** The status bar entry of mlexp's trainings, or "" when hidden (never waits: it is polled). */
export async function trainingsStatusText(page: Page): Promise<string> {
  const texts = await page.locator(".part.statusbar .statusbar-item").allInnerTexts();
  return (texts.find((text) => /\btrainings?\b/.test(text)) ?? "").trim();
}

/** Drags the side bar's edge so that tree descriptions are readable in screenshots. */
export async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator(".part.sidebar").boundingBox();
  if (!box || box.width >= width) return;
  const edge = box.x + box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(edge + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
}

/** Clicks a tree row's twistie: collapses an expanded group or expands a collapsed one. */
export async function toggleTreeRow(row: Locator): Promise<void> {
  const expanded = await row.getAttribute("aria-expanded");
  await row.locator(".monaco-tl-twistie").click();
  await row.page().waitForFunction(
    ([element, before]) => (element as Element).getAttribute("aria-expanded") !== before,
    [await row.elementHandle(), expanded] as const,
  );
}

/**
 * Selects runs in the Runs view as a person does: a click on the first, Ctrl+click on each other one.
 * The plain click also opens the first run's details (the row's command): that editor is waited
 * for, or its taking the focus a moment later would close a context menu opened next.
 */
export async function selectRunRows(page: Page, runIds: readonly string[], timeoutMs = 30_000): Promise<void> {
  const [first, ...others] = runIds;
  await runRow(page, first).click({ timeout: timeoutMs });
  await page.locator(".tabs-container .tab.active .label-name", { hasText: `Run ${first}` }).waitFor({ state: "visible", timeout: timeoutMs });
  for (const runId of others) await runRow(page, runId).click({ modifiers: ["Control"], timeout: timeoutMs });
  const selected = async () => (await Promise.all(runIds.map((runId) => runRow(page, runId).getAttribute("aria-selected")))).every((value) => value === "true");
  const deadline = Date.now() + timeoutMs;
  while (!(await selected())) {
    if (Date.now() > deadline) throw new Error(`runs ${runIds.join(", ")} are not all selected in the Runs view; on screen: ${await describeScreen(page)}`);
    await page.waitForTimeout(100);
  }
}

/**
 * Right-clicks a tree row and chooses an entry of its context menu by its exact title.
 *
 * VS Code's menu items start listening for the mouse only 100 ms (a page timer) after the menu
 * opens, so that releasing the right button does not choose an item; on a busy machine that timer
 * fires late, and a click before it does nothing. A timer of the page's own, started once the menu
 * shows and longer than VS Code's, fires after it: then the click counts.
 */
export async function chooseFromContextMenu(row: Locator, title: string, timeoutMs = 30_000, whileOpen?: () => Promise<unknown>): Promise<void> {
  const page = row.page();
  const menu = page.locator(".context-view .monaco-menu");
  const item = menu.locator(".action-item").filter({ hasText: new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`) });
  try {
    await row.click({ button: "right", timeout: timeoutMs });
    await item.waitFor({ state: "visible", timeout: timeoutMs });
    await whileOpen?.();
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 150)));
    await item.click({ timeout: timeoutMs });
    await menu.waitFor({ state: "hidden", timeout: timeoutMs });
  } catch (error) {
    const entries = await menu.locator(".action-item").allInnerTexts().catch(() => []);
    throw new Error(`could not choose "${title}" in the context menu; entries: ${JSON.stringify(entries)}; on screen: ${await describeScreen(page)}`, { cause: error });
  }
}
