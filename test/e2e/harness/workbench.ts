import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from "playwright-core";
import { readE2eInstall } from "./paths";
import { cssEscape, escapeRegExp, exactText, toTextPattern } from "./text";

// Helpers that drive the VS Code workbench the way a person does (palette, clicks, keys) and
// read what is on screen. Every wait has a timeout, and every failure message includes a summary
// of the screen plus a screenshot path, because "timeout exceeded" alone tells nothing.

export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];

const DEFAULT_TIMEOUT_MS = 30_000;

export interface Workbench {
  /** A persistent context on a fresh profile folder (Playwright's way to give Chromium a user-data-dir). */
  context: BrowserContext;
  page: Page;
  /** Browser console errors and page errors seen so far (handy when a webview stays blank). */
  consoleErrors(): string[];
  close(): Promise<void>;
}

export interface OpenWorkbenchOptions {
  viewport?: { width: number; height: number };
  timeoutMs?: number;
  /** Also clear startup notification toasts; off by default so tests can assert on them. */
  clearNotifications?: boolean;
}

/** Launches Debian's Chromium with a throwaway profile, opens the workbench and waits until it is usable. */
export async function openWorkbench(url: string, options: OpenWorkbenchOptions = {}): Promise<Workbench> {
  const profileDir = mkdtempSync(join(tmpdir(), "mlexp-e2e-chromium-"));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: readE2eInstall().chromium,
    args: [...CHROMIUM_ARGS],
    headless: process.env.MLEXP_E2E_HEADED !== "1",
    viewport: options.viewport ?? { width: 1400, height: 900 },
  });
  const errors: string[] = [];
  await keepTrafficOnLoopback(context);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  const close = async (): Promise<void> => {
    await context.close();
    rmSync(profileDir, { recursive: true, force: true });
  };
  try {
    await page.goto(url);
    await waitForWorkbenchReady(page, options.timeoutMs ?? 90_000);
    await dismissFirstRunUi(page, options.clearNotifications ?? false);
  } catch (error) {
    await close();
    throw error;
  }
  return { context, page, consoleErrors: () => [...errors], close };
}

/** Reloads the window (a browser reload is VS Code's "Reload Window" in code-server) and waits until it is usable again. */
export async function reloadWorkbench(page: Page, timeoutMs = 90_000): Promise<void> {
  await page.reload();
  await waitForWorkbenchReady(page, timeoutMs);
}

/** The workbench must only talk to code-server; anything else would be a real network call. */
async function keepTrafficOnLoopback(context: BrowserContext): Promise<void> {
  await context.route(
    (url) => !["127.0.0.1", "localhost", "[::1]"].includes(url.hostname) && url.protocol.startsWith("http"),
    (route) => route.abort("blockedbyclient"),
  );
}

async function waitForWorkbenchReady(page: Page, timeoutMs: number): Promise<void> {
  try {
    await page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: timeoutMs });
    // The activity bar and status bar are filled in once the layout and contributions are restored.
    await page.locator(".part.activitybar .action-item").first().waitFor({ state: "visible", timeout: timeoutMs });
    await page.locator(".part.statusbar").waitFor({ state: "visible", timeout: timeoutMs });
    // VS Code's own performance mark for "every extension's contributions (commands, views,
    // themes, ...) are registered"; before it, the palette and activity bar are still incomplete.
    await page.waitForFunction(() => performance.getEntriesByName("code/didLoadExtensions").length > 0, undefined, { timeout: timeoutMs });
  } catch (error) {
    throw await screenError(page, "the workbench did not finish loading", error);
  }
}

async function dismissFirstRunUi(page: Page, clearNotifications: boolean): Promise<void> {
  for (const dialog of await page.locator(".monaco-dialog-box").all()) {
    if (await dialog.isVisible()) await page.keyboard.press("Escape");
  }
  // Welcome / walkthrough editors open on some settings and steal focus from the palette.
  for (const tab of await page.locator(".tabs-container .tab").all()) {
    const label = (await tab.getAttribute("aria-label")) ?? "";
    if (/^(Welcome|Walkthrough)/i.test(label)) await tab.locator(".tab-actions .action-label").first().click();
  }
  if (clearNotifications) await clearAllNotifications(page);
}

export async function clearAllNotifications(page: Page): Promise<void> {
  for (const clear of await page.locator(".notification-toast .codicon-notifications-clear").all()) {
    if (await clear.isVisible()) await clear.click();
  }
}

// ---------------------------------------------------------------------------------------------
// Command palette and quick input

export interface TimeoutOption {
  timeoutMs?: number;
}

const quickInput = (page: Page): Locator => page.locator(".quick-input-widget");
const quickInputBox = (page: Page): Locator => quickInput(page).locator(".quick-input-box input");
const quickInputRows = (page: Page): Locator => quickInput(page).locator(".quick-input-list .monaco-list-row");

/** Opens the command palette, finds the command by its exact title and runs it. */
export async function runCommand(page: Page, title: string, options: TimeoutOption = {}): Promise<void> {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  await openCommandPalette(page, timeout);
  // fill() replaces the ">" prefix too, so put it back: without it the palette searches files.
  const query = `>${title}`;
  await quickInputBox(page).fill(query);
  await quickPickSelect(page, title, { timeoutMs: timeout });
  await waitForPaletteToLeave(page, query, timeout);
}

/** Proves the pick was taken: the palette closes, or a follow-up quick input replaces its text. */
async function waitForPaletteToLeave(page: Page, query: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const stillThere = (await quickInput(page).isVisible()) && (await quickInputBox(page).inputValue().catch(() => "")) === query;
    if (!stillThere) return;
    await page.waitForTimeout(100);
  }
  throw await screenError(page, `the command palette stayed open after choosing "${query.slice(1)}"`);
}

async function openCommandPalette(page: Page, timeoutMs: number): Promise<void> {
  // F1 can be swallowed while focus sits in an iframe (webview) or the page is still settling;
  // retrying with the other default key binding covers both.
  const keys = ["F1", "Control+Shift+P", "F1"];
  for (const key of keys) {
    await page.keyboard.press(key);
    try {
      await quickInputBox(page).waitFor({ state: "visible", timeout: Math.min(5_000, timeoutMs) });
      return;
    } catch {
      // try the next key
    }
  }
  throw await screenError(page, `the command palette did not open after pressing ${keys.join(", ")}`);
}

/** Picks the quick-pick row whose label is exactly `label` (or matches the RegExp). */
export async function quickPickSelect(page: Page, label: string | RegExp, options: TimeoutOption = {}): Promise<void> {
  // Matched by text, not by position: the list re-renders while it filters, so an index read a
  // moment earlier could point at another command by the time of the click.
  const labelName = quickInputRows(page).locator(".label-name").filter({ hasText: toTextPattern(label) }).first();
  try {
    await labelName.click({ timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  } catch (error) {
    throw await screenError(page, `no quick pick row labelled ${String(label)}`, error);
  }
}

async function visibleRowLabels(page: Page): Promise<string[]> {
  if (!(await quickInput(page).isVisible())) return [];
  return quickInputRows(page).evaluateAll((rows) =>
    rows.map((row) => (row.querySelector(".label-name")?.textContent ?? "").replace(/\s+/g, " ").trim()),
  );
}

/** Types into an open input box / quick pick (e.g. after showInputBox) and submits it with Enter. */
export async function quickInputType(page: Page, text: string, options: TimeoutOption & { submit?: boolean } = {}): Promise<void> {
  try {
    await quickInputBox(page).waitFor({ state: "visible", timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  } catch (error) {
    throw await screenError(page, `no quick input box to type "${text}" into`, error);
  }
  await quickInputBox(page).fill(text);
  if (options.submit ?? true) await quickInputBox(page).press("Enter");
}

// ---------------------------------------------------------------------------------------------
// Notifications

const notificationItems = (page: Page): Locator =>
  page.locator(".notifications-toasts .notification-list-item, .notifications-center .notification-list-item");

/** Waits for a toast (or notification-center entry) whose message contains the text / matches the RegExp. */
export async function waitForNotification(page: Page, text: string | RegExp, options: TimeoutOption = {}): Promise<Locator> {
  const item = notificationItems(page).filter({ has: page.locator(".notification-list-item-message", { hasText: text }) }).first();
  try {
    await item.waitFor({ state: "visible", timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
    return item;
  } catch (error) {
    throw await screenError(page, `no notification matching ${String(text)}`, error);
  }
}

/** The message texts of the notifications currently on screen. */
export async function visibleNotifications(page: Page): Promise<string[]> {
  const messages = notificationItems(page).locator(".notification-list-item-message");
  return (await messages.allInnerTexts()).map((text) => text.trim());
}

export async function clickNotificationButton(
  page: Page,
  buttonText: string,
  options: TimeoutOption & { notification?: string | RegExp } = {},
): Promise<void> {
  const fromCenter = options.notification !== undefined && !(await toastOf(page, options.notification).isVisible());
  // A toast hides itself after a while, on a loaded machine sometimes before the test gets to click
  // it; the notification center keeps every notification (and, while open, shows new ones in it).
  if (fromCenter) await runCommand(page, "Notifications: Show Notifications");
  const scope = options.notification ? await waitForNotification(page, options.notification, options) : page.locator(".notifications-toasts");
  const button = scope.locator(".notification-list-item-buttons-container .monaco-button").filter({ hasText: exactText(buttonText) }).first();
  try {
    await button.click({ timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  } catch (error) {
    throw await screenError(page, `no notification button "${buttonText}"`, error);
  }
  // The center stays open: a notification the click leads to shows there (hiding the center would lose it).
}

function toastOf(page: Page, text: string | RegExp): Locator {
  return page.locator(".notifications-toasts .notification-list-item").filter({ has: page.locator(".notification-list-item-message", { hasText: text }) }).first();
}

// ---------------------------------------------------------------------------------------------
// Views

/** Matches "Explorer (Ctrl+Shift+E)" for "Explorer": the tooltip appends the key binding if any. */
const activityItem = (page: Page, title: string): Locator => {
  const quoted = cssEscape(title);
  return page.locator(
    `.part.activitybar li.action-item:has(> a.action-label[aria-label="${quoted}"]), ` +
      `.part.activitybar li.action-item:has(> a.action-label[aria-label^="${quoted} ("])`,
  );
};

/** Opens a view container from the activity bar (label as in its tooltip, without the key binding). */
export async function openViewContainer(page: Page, title: string, options: TimeoutOption = {}): Promise<void> {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const item = activityItem(page, title).first();
  try {
    await item.waitFor({ state: "visible", timeout });
  } catch (error) {
    const available = await page.locator(".part.activitybar a.action-label").evaluateAll((els) => els.map((el) => el.getAttribute("aria-label")));
    throw await screenError(page, `no activity bar item "${title}"; available: ${JSON.stringify(available)}`, error);
  }
  // Clicking the item of the container that is already shown would hide the side bar.
  const alreadyShown = (await item.getAttribute("aria-selected")) === "true" && (await page.locator(".part.sidebar").isVisible());
  if (!alreadyShown) await item.locator("a.action-label").click();
  const sideBarTitle = page.locator(".part.sidebar .composite.title .title-label h2");
  try {
    await sideBarTitle.filter({ hasText: new RegExp(`^${escapeRegExp(title)}`, "i") }).waitFor({ state: "visible", timeout });
  } catch (error) {
    throw await screenError(page, `side bar did not switch to "${title}"`, error);
  }
}

export interface TreeItemText {
  label: string;
  description: string;
}

/** The pane of a view, found by its title (its header stays in the DOM even when merged away). */
export function viewPane(page: Page, viewTitle: string): Locator {
  return page
    .locator(".part.sidebar .pane, .part.auxiliarybar .pane, .part.panel .pane")
    .filter({ has: page.locator(".pane-header h3.title", { hasText: new RegExp(`^\\s*${escapeRegExp(viewTitle)}\\s*$`, "i") }) });
}

/** Labels and descriptions of the tree rows that are rendered (trees are virtualized: only visible rows). */
export async function treeItems(page: Page, viewTitle: string, options: TimeoutOption = {}): Promise<TreeItemText[]> {
  const pane = await expandedViewPane(page, viewTitle, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  return pane.locator(".monaco-list-row[role=treeitem]").evaluateAll((rows) =>
    rows.map((row) => ({
      label: (row.querySelector(".label-name")?.textContent ?? "").trim(),
      description: (row.querySelector(".label-description")?.textContent ?? "").trim(),
    })),
  );
}

/** Waits until a tree row's label matches; returns that row (click it, open its context menu, ...). */
export async function waitForTreeItem(page: Page, viewTitle: string, label: string | RegExp, options: TimeoutOption = {}): Promise<Locator> {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = Date.now();
  const pane = await expandedViewPane(page, viewTitle, timeout);
  const row = pane
    .locator(".monaco-list-row[role=treeitem]")
    .filter({ has: page.locator(".label-name", { hasText: toTextPattern(label) }) })
    .first();
  try {
    await row.waitFor({ state: "visible", timeout: Math.max(1, timeout - (Date.now() - started)) });
    return row;
  } catch (error) {
    const seen = await treeItems(page, viewTitle, { timeoutMs: 1_000 }).catch(() => []);
    throw await screenError(page, `view "${viewTitle}" has no item labelled ${String(label)}; items: ${JSON.stringify(seen)}`, error);
  }
}

async function expandedViewPane(page: Page, viewTitle: string, timeoutMs: number): Promise<Locator> {
  const pane = viewPane(page, viewTitle).first();
  try {
    await pane.waitFor({ state: "attached", timeout: timeoutMs });
  } catch (error) {
    const titles = await page.locator(".pane-header h3.title").allTextContents();
    throw await screenError(page, `no view "${viewTitle}" (open its container first?); views in the DOM: ${JSON.stringify(titles)}`, error);
  }
  const header = pane.locator(".pane-header");
  if ((await header.getAttribute("aria-expanded")) === "false") await header.click();
  return pane;
}

// ---------------------------------------------------------------------------------------------
// Webviews

/** The document of the active webview: VS Code nests it as iframe.webview > iframe#active-frame. */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator("iframe.webview").frameLocator("#active-frame");
}

// ---------------------------------------------------------------------------------------------
// Artifacts and diagnostics

let artifactsDir: string | undefined;
let failureCount = 0;

/** `test-results/e2e/<timestamp>/` under the repository, created once per test process and printed. */
export function e2eArtifactsDir(): string {
  if (artifactsDir) return artifactsDir;
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const root = process.env.MLEXP_E2E_ARTIFACTS ?? resolve(__dirname, "..", "..", "..", "test-results", "e2e");
  artifactsDir = join(root, `${stamp}-${process.pid}`);
  mkdirSync(artifactsDir, { recursive: true });
  console.log(`[e2e] artifacts (screenshots, logs): ${artifactsDir}`);
  return artifactsDir;
}

/**
 * Saves `<dir>/<name>.png` (name made file-safe) and returns its path. By default the mouse is
 * parked first, so a tooltip left by the last click does not cover what the picture is for.
 */
export async function screenshot(page: Page, dir: string, name: string, options: { keepHovers?: boolean } = {}): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name.replace(/[^\w.-]+/g, "_")}.png`);
  if (!options.keepHovers) await parkMouse(page);
  // Finished CSS transitions: a toast fading in is shown as it will look, not half transparent.
  await page.screenshot({ path: file, animations: "disabled" });
  return file;
}

async function parkMouse(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await page
    .locator(".monaco-hover")
    .filter({ visible: true })
    .first()
    .waitFor({ state: "hidden", timeout: 2_000 })
    .catch(() => undefined); // a hover that stays is worth seeing rather than failing over
}

/** A one-paragraph account of what is on screen, for failure messages. */
export async function describeScreen(page: Page): Promise<string> {
  if (page.isClosed()) return "(page is closed)";
  const read = async (what: () => Promise<string[]>): Promise<string> => JSON.stringify(await what().catch(() => ["<unreadable>"]));
  const parts = [
    `notifications: ${await read(() => visibleNotifications(page))}`,
    `quick input: ${await read(async () => ((await quickInput(page).isVisible()) ? [await quickInputBox(page).inputValue(), ...(await visibleRowLabels(page))] : []))}`,
    `dialogs: ${await read(() => page.locator(".monaco-dialog-box").allInnerTexts())}`,
    `side bar: ${await read(() => page.locator(".part.sidebar .composite.title h2").allTextContents())}`,
    `editor tabs: ${await read(() => page.locator(".tabs-container .tab .label-name").allTextContents())}`,
  ];
  return parts.join("; ");
}

async function screenError(page: Page, what: string, cause?: unknown): Promise<Error> {
  let shot = "";
  if (!page.isClosed()) {
    failureCount += 1;
    shot = await screenshot(page, e2eArtifactsDir(), `failure-${failureCount}`).catch((error: unknown) => `(screenshot failed: ${String(error)})`);
  }
  const causeText = cause instanceof Error ? `\ncause: ${cause.message.split("\n")[0]}` : "";
  return new Error(`${what}\non screen: ${await describeScreen(page)}\nscreenshot: ${shot}${causeText}`);
}
