import type { FrameLocator, Locator, Page } from "playwright-core";
import { describeScreen, e2eArtifactsDir, screenshot, webviewFrame, type TimeoutOption } from "../harness/workbench";

// The comparison panel as a person uses it in the real workbench: its editor tab, its table, its
// toolbar and its run actions, inside the webview's nested frames. Every wait is for a condition
// on screen; a failure says what the panel and the workbench showed.

const DEFAULT_TIMEOUT_MS = 30_000;

/** The panel's document (VS Code nests a webview as iframe.webview > iframe#active-frame). */
export function panelFrame(page: Page): FrameLocator {
  return webviewFrame(page);
}

/** The panel's editor tab, e.g. "Compare: 3 runs" (the title says what is compared once the runs are read). */
export function panelTab(page: Page, title: string): Locator {
  return page.locator(".tabs-container .tab").filter({ has: page.locator(".label-name", { hasText: exactText(title) }) });
}

/** The titles of every comparison tab in the window ("Compare: …"), restored-but-not-yet-revived ones included. */
export async function comparisonTabTitles(page: Page): Promise<string[]> {
  const titles = await page.locator(".tabs-container .tab .label-name").allInnerTexts();
  return titles.map((title) => title.trim()).filter((title) => title.startsWith("Compare: "));
}

/** Waits until the panel's tab has this title and its table lists exactly these runs. */
export async function waitForComparedRuns(page: Page, runIds: readonly string[], options: TimeoutOption = {}): Promise<void> {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const title = `Compare: ${runIds.length} run${runIds.length === 1 ? "" : "s"}`;
  await waitOrExplain(page, `no comparison tab "${title}"`, () => panelTab(page, title).waitFor({ state: "visible", timeout }));
  await waitOrExplain(page, `the panel does not list ${runIds.join(", ")}`, () =>
    panelFrame(page)
      .locator(".grid-body")
      .first()
      .waitFor({ state: "visible", timeout })
      .then(() => pollPanel(page, async () => sameSet(await rankedRunIds(page), runIds), timeout)),
  );
}

/** The run ids in the table, top to bottom (the second cell of each rendered row). */
export async function rankedRunIds(page: Page): Promise<string[]> {
  return (await panelRows(page)).map((cells) => cells[1] ?? "");
}

/** The text of each rendered row's cells, top to bottom (the table renders only the rows in view). */
export async function panelRows(page: Page): Promise<string[][]> {
  return panelFrame(page)
    .locator(".grid-body .grid-row:not([hidden])")
    .evaluateAll((rows) =>
      rows
        .map((row) => ({ index: Number((row as HTMLElement).dataset.index), cells: [...row.children].map((cell) => (cell.textContent ?? "").trim()) }))
        .sort((a, b) => a.index - b.index)
        .map((row) => row.cells),
    );
}

/** The table's column labels, left to right. */
export async function panelHeaders(page: Page): Promise<string[]> {
  return panelFrame(page)
    .locator(".grid-header .column-label")
    .evaluateAll((labels) => labels.map((label) => (label.firstChild?.textContent ?? "").trim()));
}

/** "↑ higher is better" or "↓ lower is better": the direction of the chosen metric. */
export async function metricDirection(page: Page): Promise<string> {
  return ((await panelFrame(page).locator(".direction").textContent()) ?? "").trim();
}

/** Opens the metric picker and clicks a metric, as a person would; waits until the table is ranked by it. */
export async function chooseMetric(page: Page, metric: string, options: TimeoutOption = {}): Promise<void> {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const select = panelFrame(page).locator("#metric-select");
  await waitOrExplain(page, `could not pick the metric ${metric}`, async () => {
    await select.click({ timeout });
    // The options live in the select's shadow root, which Playwright's locators pierce.
    await select.locator("[role=option]").filter({ hasText: exactText(metric) }).click({ timeout });
    await pollPanel(page, async () => (await panelHeaders(page))[2] === metric, timeout);
  });
}

/** Ticks or clears "Differences only"; waits until the checkbox shows the new state. */
export async function setDifferencesOnly(page: Page, on: boolean, options: TimeoutOption = {}): Promise<void> {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const checkbox = panelFrame(page).locator('vscode-checkbox[label="Differences only"]');
  await waitOrExplain(page, `could not ${on ? "tick" : "clear"} "Differences only"`, async () => {
    const checked = () => checkbox.evaluate((element) => (element as HTMLElement & { checked: boolean }).checked);
    if ((await checked()) !== on) await checkbox.click({ timeout });
    await pollPanel(page, async () => (await checked()) === on, timeout);
  });
}

/** Clicks a run's row; waits until the actions bar is for that run. */
export async function selectPanelRun(page: Page, runId: string, options: TimeoutOption = {}): Promise<void> {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const frame = panelFrame(page);
  await waitOrExplain(page, `could not select run ${runId} in the panel`, async () => {
    await frame.locator(".grid-body .grid-row").filter({ hasText: runId }).first().click({ timeout });
    await frame.locator(".selected-run").filter({ hasText: new RegExp(`^${runId}\\b`) }).waitFor({ state: "visible", timeout });
  });
}

/** Clicks one of the selected run's actions ("checkout", "worktree", "reproduce", ...). */
export async function clickRunAction(page: Page, action: string, options: TimeoutOption = {}): Promise<void> {
  const button = panelFrame(page).locator(`.actions-bar vscode-button[data-action="${action}"]`);
  await waitOrExplain(page, `no enabled "${action}" button in the panel`, () => button.click({ timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS }));
}

/** Waits for the panel's notice line of this level ("info", "warning", "error") containing the text; returns its text. */
export async function waitForPanelNotice(page: Page, level: "info" | "warning" | "error", text: string | RegExp, options: TimeoutOption = {}): Promise<string> {
  const notice = panelFrame(page).locator(`.notice.notice-${level} .notice-text`).filter({ hasText: text });
  await waitOrExplain(page, `no ${level} notice ${String(text)} in the panel`, () => notice.waitFor({ state: "visible", timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS }));
  return ((await notice.textContent()) ?? "").trim();
}

/** The computed background colour of the panel's page: it follows the workbench's colour theme. */
export async function panelBackground(page: Page): Promise<string> {
  return panelFrame(page)
    .locator("body")
    .evaluate((body) => getComputedStyle(body).backgroundColor);
}

/** Polls a condition on the panel (its content changes asynchronously, after messages from the extension). */
async function pollPanel(page: Page, condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition().catch(() => false)) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`the condition did not hold within ${timeoutMs} ms`);
}

async function waitOrExplain(page: Page, what: string, wait: () => Promise<unknown>): Promise<void> {
  try {
    await wait();
  } catch (error) {
    const shot = await screenshot(page, e2eArtifactsDir(), `failure-panel-${Date.now()}`).catch(() => "(no screenshot)");
    const panel = await panelSummary(page);
    throw new Error(`${what}\npanel: ${panel}\non screen: ${await describeScreen(page)}\nscreenshot: ${shot}`, { cause: error });
  }
}

/** What the panel shows, in one line, for failure messages. */
async function panelSummary(page: Page): Promise<string> {
  const frame = panelFrame(page);
  const read = async (what: () => Promise<unknown>) => JSON.stringify(await what().catch(() => "<unreadable>"));
  return [
    `count ${await read(() => frame.locator(".run-count").textContent({ timeout: 1_000 }))}`,
    `notice ${await read(() => frame.locator(".notice").textContent({ timeout: 1_000 }))}`,
    `headers ${await read(() => panelHeaders(page))}`,
    `rows ${await read(async () => (await panelRows(page)).map((cells) => cells.slice(0, 3).join(" | ")))}`,
  ].join("; ");
}

function sameSet(actual: readonly string[], expected: readonly string[]): boolean {
  return actual.length === expected.length && expected.every((id) => actual.includes(id));
}

function exactText(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`);
}
