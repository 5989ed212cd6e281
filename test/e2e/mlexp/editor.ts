import type { Locator, Page } from "playwright-core";
import { describeScreen, quickInputType, quickPickSelect, runCommand } from "../harness/workbench";

// Editor steps for the language server's features: open a file, find a CodeLens, put the cursor
// somewhere, read the suggestions, the quick fixes and the Problems panel. Every wait says what
// was on screen when it gives up.

const DEFAULT_TIMEOUT_MS = 30_000;

/** The editor of the active tab (one editor group in these tests). */
export function activeEditor(page: Page): Locator {
  return page.locator(".editor-instance .monaco-editor").first();
}

/** Opens a workspace file with "Go to File…", as a person would, and waits for its tab. */
export async function openFile(page: Page, fileName: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  await runCommand(page, "Go to File...");
  await quickInputType(page, fileName, { submit: false });
  await quickPickSelect(page, fileName, { timeoutMs });
  await waitFor(page, page.locator(".tabs-container .tab.active").filter({ hasText: fileName }), `an active tab "${fileName}"`, timeoutMs);
  await waitFor(page, activeEditor(page).locator(".view-lines"), "the editor's text", timeoutMs);
}

/**
 * A CodeLens of the active editor by its text. Lenses with a command render as links (`a`), the
 * others (e.g. "no runs yet") as plain text (`span`).
 */
export function codeLens(page: Page, text: string | RegExp, options: { link?: boolean } = {}): Locator {
  const element = options.link === false ? "span" : options.link === true ? "a" : "a, span";
  return activeEditor(page).locator(".codelens-decoration").locator(element).filter({ hasText: text });
}

export async function waitForCodeLens(page: Page, text: string | RegExp, options: { link?: boolean; timeoutMs?: number } = {}): Promise<Locator> {
  const lens = codeLens(page, text, options).first();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    await lens.waitFor({ state: "visible", timeout: timeoutMs });
    return lens;
  } catch (error) {
    const shown = await codeLensTexts(page);
    throw new Error(`no CodeLens ${String(text)}; lenses shown: ${JSON.stringify(shown)}; on screen: ${await describeScreen(page)}`, { cause: error });
  }
}

/** Every CodeLens text of the active editor, for assertions and failure messages. */
export async function codeLensTexts(page: Page): Promise<string[]> {
  return activeEditor(page)
    .locator(".codelens-decoration a, .codelens-decoration > span:not(:empty)")
    .evaluateAll((elements) => elements.map((element) => (element.textContent ?? "").replace(/\u00a0/g, " ").trim()).filter((text) => text && text !== "|"));
}

/** Puts the cursor at a 1-based line and column with "Go to Line/Column…"; the editor keeps the focus. */
export async function goToPosition(page: Page, line: number, column: number): Promise<void> {
  await runCommand(page, "Go to Line/Column...");
  await quickInputType(page, `:${line}:${column}`);
  await waitFor(page, page.locator(".part.statusbar").filter({ hasText: `Ln ${line}, Col ${column}` }), `the cursor at Ln ${line}, Col ${column}`);
}

/** The 1-based line and column of the first occurrence of `text` in `source`, plus `offset` characters. */
export function positionOf(source: string, text: string, offset = 0): { line: number; column: number } {
  const index = source.indexOf(text);
  if (index < 0) throw new Error(`"${text}" is not in the file`);
  const before = source.slice(0, index + offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Triggers suggestions at the cursor and returns the labels the suggest widget lists. */
export async function suggestionLabels(page: Page, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string[]> {
  await page.keyboard.press("Control+Space");
  const rows = page.locator(".editor-widget.suggest-widget.visible .monaco-list-row");
  await waitFor(page, rows.first(), "the suggest widget", timeoutMs);
  return rows.locator(".label-name").allInnerTexts();
}

/** Opens the quick fixes at the cursor ("Quick Fix…") and returns the row offering `title`. */
export async function quickFix(page: Page, title: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Locator> {
  const row = page.locator(".action-widget .monaco-list-row").filter({ hasText: title }).first();
  // Asked before the server's code actions for the new diagnostic are in, the widget shows
  // nothing (or "No code actions available") and stays so: ask again until the fix is offered.
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline - 5_000) {
    await page.keyboard.press("Control+.");
    if (await row.waitFor({ state: "visible", timeout: 5_000 }).then(() => true, () => false)) return row;
    await page.keyboard.press("Escape");
  }
  await page.keyboard.press("Control+.");
  await waitFor(page, row, `a quick fix ${String(title)}`, 5_000);
  return row;
}

/** Shows the Problems panel and waits for a problem whose text matches. */
export async function waitForProblem(page: Page, text: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Locator> {
  const panel = page.locator(".part.panel .markers-panel");
  if (!(await panel.isVisible())) await page.keyboard.press("Control+Shift+M");
  const row = panel.locator(".monaco-list-row").filter({ hasText: text }).first();
  await waitFor(page, row, `a problem ${String(text)} in the Problems panel`, timeoutMs);
  return row;
}

/** The active editor's visible text, lines joined with newlines (spaces normalised). */
export async function editorText(page: Page): Promise<string> {
  const text = await activeEditor(page).locator(".view-lines").innerText();
  return text.replace(/\u00a0/g, " ");
}

async function waitFor(page: Page, locator: Locator, what: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  try {
    await locator.waitFor({ state: "visible", timeout: timeoutMs });
  } catch (error) {
    throw new Error(`no ${what}; on screen: ${await describeScreen(page)}`, { cause: error });
  }
}
