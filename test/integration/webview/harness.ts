import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { comparePanelHtml, createNonce } from "../../../src/extension/compare/html";
import { runPageHtml } from "../../../src/extension/runPage/html";
import type { ComparePanelState, FromWebview, ToWebview } from "../../../src/protocol/compare";
import type { FakeStore } from "./fixtures";
import { BODY_CLASSES, themeCss, type ThemeName } from "./themes";

const DIST_WEBVIEW = path.resolve(__dirname, "../../../dist/webview");
const FAKE_HOST = path.join(__dirname, "fakeHost.js");

export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"];

const CONTENT_TYPES: Record<string, string> = { ".js": "text/javascript", ".css": "text/css", ".ttf": "font/ttf", ".map": "application/json" };

/**
 * Serves the panel the way VS Code does: the page from `comparePanelHtml` (the very HTML and CSP
 * meta the extension sets), the bundle from dist/webview, and the theme's CSS variables as a
 * stylesheet (VS Code defines them on <html>). The server's origin plays `webview.cspSource`.
 */
export async function startPanelServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const send = (status: number, type: string, body: string | Buffer) => {
      response.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
      response.end(body);
    };
    if (url.pathname === "/favicon.ico") return send(204, "image/x-icon", "");
    if (url.pathname === "/panel") return send(200, "text/html", panelPage(origin, (url.searchParams.get("theme") ?? "dark") as ThemeName));
    if (url.pathname === "/run") return send(200, "text/html", runPage(origin, (url.searchParams.get("theme") ?? "dark") as ThemeName));
    const theme = /^\/themes\/([\w-]+)\.css$/.exec(url.pathname);
    if (theme && theme[1] in BODY_CLASSES) return send(200, "text/css", themeCss(theme[1] as ThemeName));
    const file = path.join(DIST_WEBVIEW, path.basename(url.pathname));
    if (url.pathname.startsWith("/webview/") && fs.existsSync(file)) return send(200, CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream", fs.readFileSync(file));
    send(404, "text/plain", "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function panelPage(origin: string, theme: ThemeName): string {
  const html = comparePanelHtml({
    cspSource: origin,
    nonce: createNonce(),
    scriptUri: `${origin}/webview/compare.js`,
    styleUri: `${origin}/webview/compare.css`,
    codiconsUri: `${origin}/webview/codicon.css`,
  });
  return themed(html, origin, theme);
}

/** The run page as RunPagePanel writes it: its HTML and CSP, run.js, the panel's stylesheet and its own. */
function runPage(origin: string, theme: ThemeName): string {
  const html = runPageHtml({
    cspSource: origin,
    nonce: createNonce(),
    scriptUri: `${origin}/webview/run.js`,
    styleUris: [`${origin}/webview/compare.css`, `${origin}/webview/run.css`],
    codiconsUri: `${origin}/webview/codicon.css`,
  });
  return themed(html, origin, theme);
}

/** Adds the theme's variables and body class, as VS Code does around a webview's own HTML. */
function themed(html: string, origin: string, theme: ThemeName): string {
  return html
    .replace("<head>", `<head>\n<link rel="stylesheet" id="test-theme" href="${origin}/themes/${theme}.css">`)
    .replace("<body>", `<body class="${BODY_CLASSES[theme]}" data-vscode-theme-kind="${BODY_CLASSES[theme]}">`);
}

const CHROMIUM = "/usr/bin/chromium";

/** Debian's Chromium, never a downloaded one (these machines cannot download browsers). */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`The webview tests need Debian's Chromium at ${CHROMIUM} (apt-get install chromium).`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface PanelPage {
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems(): Promise<string[]>;
  posted(): Promise<FromWebview[]>;
  state(): Promise<ComparePanelState | undefined>;
  /** Delivers a message as the extension would, and waits until the table has rendered it. */
  send(message: ToWebview): Promise<void>;
  close(): Promise<void>;
}

export interface OpenPanelOptions {
  store: FakeStore;
  theme?: ThemeName;
  /** What getState returns at load (a restored panel). */
  state?: ComparePanelState;
  /** Answer the page's `ready` with the runs (off for benchmarks that time the delivery themselves). */
  answerReady?: boolean;
  viewport?: { width: number; height: number };
}

export async function openPanel(browser: Browser, origin: string, options: OpenPanelOptions): Promise<PanelPage> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 1100 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.text().includes("Content Security Policy")) errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  // The stand-in for VS Code runs before the page's own script: its data first, then fakeHost.js.
  const init = { store: options.store, state: options.state, answerReady: options.answerReady ?? true };
  await page.addInitScript({ content: `window.__fakeHostInit = ${JSON.stringify(init)};` });
  await page.addInitScript({ path: FAKE_HOST });
  await page.goto(`${origin}/panel?theme=${options.theme ?? "dark"}`);
  const host = () => page.evaluate(() => (window as unknown as { __host: { posted: FromWebview[]; state: ComparePanelState | undefined; problems: string[] } }).__host);
  if (options.answerReady ?? true) await page.waitForSelector(".grid-body .grid-row");
  return {
    page,
    problems: async () => [...errors, ...(await host()).problems],
    posted: async () => (await host()).posted,
    state: async () => (await host()).state,
    send: async (message) => {
      // Sent as JSON text: Playwright's argument typing recurses too deeply into ModelRun.
      await page.evaluate((json: string) => {
        const m = JSON.parse(json) as { type: string };
        const rendered = new Promise((resolve) => document.addEventListener("mlexp-rendered", resolve, { once: true }));
        window.postMessage(m, "*");
        return m.type === "runs" ? rendered.then(() => undefined) : undefined;
      }, JSON.stringify(message));
    },
    close: () => context.close(),
  };
}

/** Resolves after the next "mlexp-charts-drawn" (charts draw a frame after the table). */
export async function waitForCharts(page: Page, action: () => Promise<void>): Promise<void> {
  const drawn = page.evaluate(() => new Promise<void>((resolve) => document.addEventListener("mlexp-charts-drawn", () => resolve(), { once: true })));
  await action();
  await drawn;
}

/** Switches the theme as VS Code does: new variables and a new body class. */
export async function switchTheme(page: Page, origin: string, theme: ThemeName): Promise<void> {
  await page.evaluate(
    async ({ href, bodyClass }) => {
      const link = document.getElementById("test-theme") as HTMLLinkElement;
      const loaded = new Promise((resolve) => link.addEventListener("load", resolve, { once: true }));
      link.href = href;
      await loaded;
      document.body.className = bodyClass;
    },
    { href: `${origin}/themes/${theme}.css`, bodyClass: BODY_CLASSES[theme] },
  );
}

/** The text of each rendered row's cells, top to bottom (only the rows in view exist). */
export async function visibleRows(page: Page): Promise<string[][]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>(".grid-body .grid-row:not([hidden])")]
      .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
      .map((row) => [...row.children].map((cell) => cell.textContent ?? "")),
  );
}

export async function headerLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll(".grid-header .column-label")].map((label) => label.firstChild?.textContent ?? ""));
}

/** Sets a vscode-single-select's value as a user's choice would (its `change` event). */
export async function chooseOption(page: Page, selector: string, value: string): Promise<void> {
  await page.evaluate(
    ({ selector, value }) => {
      const select = document.querySelector(selector) as HTMLElement & { value: string };
      select.value = value;
      select.dispatchEvent(new Event("change"));
    },
    { selector, value },
  );
}
