import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelRun, ReproductionReport } from "../../../src/core/index";
import type { ComponentDescription } from "../../../src/core/workspace/describe";
import { StoreRunSource } from "../../../src/extension/compare/runSource";
import { artifactFiles } from "../../../src/extension/runPage/artifactFiles";
import { runPageData } from "../../../src/extension/runPage/runPageData";
import { isFromRunPage, RUN_PAGE_ACTIONS, type FromRunPage, type RunPageData, type RunPageState } from "../../../src/protocol/runPage";
import { formatFieldValue } from "../../../src/shared/compare/format";
import { runCliJson } from "../../helpers/cli";
import { git } from "../../helpers/gitRepo";
import { launchChromium, startPanelServer } from "./harness";

// The run page as VS Code shows it: RunPagePanel's HTML and CSP, the bundled run.js, and a run
// really trained by the CLI in a git workspace (a small search, so it has trials and a learning
// curve) and reproduced once, read back through the extension's own StoreRunSource and runPageData.

const SCREENSHOTS = path.resolve(__dirname, "../../../test-results");
const FAKE_RUN_HOST = path.join(__dirname, "fakeRunHost.js");
const QUICKSTART = path.resolve(__dirname, "../../../examples/quickstart");
const TRAIN = ["train", "--model", "LogisticRegression", "--model-params", '{"epochs": 6, "learningRate": [0.05, 0.2]}', "--features", "FeatureGeneratorImpl1", "--dataset", "DataAccessObjectImpl1"];

interface Host {
  posted: FromRunPage[];
  state: RunPageState | undefined;
  problems: string[];
}

describe("run page webview in Chromium, on a real run", () => {
  let workspace: string;
  let run: ModelRun;
  let reproduction: ModelRun;
  let data: RunPageData;
  let server: Awaited<ReturnType<typeof startPanelServer>>;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const host = () => page.evaluate(() => (window as unknown as { __host: Host }).__host);
  const section = (title: string) => page.locator(`section[aria-label='${title}']`);

  beforeAll(async () => {
    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-run-page-")));
    fs.cpSync(QUICKSTART, workspace, { recursive: true, filter: (source) => !source.includes(".mlexp") && !source.endsWith("train.ts") });
    git(workspace, "init", "-q", "-b", "main");
    git(workspace, "add", "-A");
    git(workspace, "commit", "-q", "-m", "quickstart");
    run = await runCliJson<ModelRun>(TRAIN, workspace);
    const report = await runCliJson<ReproductionReport>(["reproduce", run.run_id], workspace);
    const source = new StoreRunSource(() => workspace);
    const runs = await source.list();
    reproduction = runs.find((candidate) => candidate.reproduced_from === run.run_id) as ModelRun;
    expect(report.verdict).toBe(reproduction.reproduction?.verdict);
    const components = await runCliJson<ComponentDescription[]>(["list"], workspace);
    const stored = runs.find((candidate) => candidate.run_id === run.run_id) as ModelRun;
    data = runPageData({ run: stored, runs, history: await source.history(run.run_id), trials: await source.trials(run.run_id), components, artifactFiles: artifactFiles(workspace, run.run_id) });
    source.close();

    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startPanelServer();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1200, height: 1600 }, deviceScaleFactor: 1 })).newPage();
    page.on("console", (message) => {
      if (message.type() === "error" || message.text().includes("Content Security Policy")) errors.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    await page.addInitScript({ content: `window.__fakeRunHostInit = ${JSON.stringify({ page: data })};` });
    await page.addInitScript({ path: FAKE_RUN_HOST });
    await page.goto(`${server.origin}/run?theme=dark`);
    await page.locator(".run-header .title").waitFor({ state: "visible" });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it("was given a run with everything a page shows: metrics, a search, a learning curve, a reproduction, artifacts", () => {
    expect(run.status).toBe("finished");
    expect(data.trials).toHaveLength(2);
    expect(data.curves.length).toBeGreaterThan(0);
    expect(data.artifacts.files.length).toBeGreaterThan(0);
    expect(reproduction.status).toBe("finished");
  });

  it("heads the page with the status, the model and its ranked metric, then the run id", async () => {
    const accuracy = formatFieldValue(run.metrics.accuracy);
    expect((await page.locator(".run-header .title").innerText()).replace(/\s+/g, " ")).toBe(`finished LogisticRegression · accuracy ${accuracy}`);
    expect(await page.locator(".run-summary").innerText()).toContain(run.run_id);
    expect(await page.locator(".section-title").allInnerTexts()).toEqual(["Metrics", "Parameters", "Learning curves", "Search trials", "Code", "Dataset", "Reproductions", "Artifacts"]);
    expect(await page.locator("#app").getAttribute("aria-busy")).toBeNull();
  });

  it("lists every metric the run recorded with its value, the ranked one first", async () => {
    const rows = await section("Metrics").locator("tbody tr").allInnerTexts();
    const names = Object.keys(run.metrics);
    expect(rows).toHaveLength(names.length);
    expect(rows[0].replace(/\s+/g, " ")).toBe(`accuracy (ranked by) ${formatFieldValue(run.metrics.accuracy)}`);
    for (const name of names) expect(rows.join("\n")).toContain(formatFieldValue(run.metrics[name]));
  });

  it("shows each component's parameters: the value used, the values searched, the declared default", async () => {
    const blocks = (await section("Parameters").locator(".component-params").allInnerTexts()).map((text) => text.replace(/\s+/g, " "));
    expect(blocks[0]).toContain("Model: LogisticRegression");
    const chosen = formatFieldValue(run.hyperparameters.learningRate as number);
    expect(blocks[0]).toMatch(new RegExp(`learningRate ${chosen.replace(".", "\\.")} 0\\.05 (default|changed) · searched \\[0\\.05,0\\.2\\]`));
    expect(blocks[0]).toMatch(/epochs 6 — changed/);
    expect(blocks[1]).toMatch(/Feature generator: FeatureGeneratorImpl1 .*clip 4 4 default/);
    expect(blocks[2]).toMatch(/Data access object: DataAccessObjectImpl1 .*path data\/customers\.csv data\/customers\.csv default/);
  });

  it("draws the learning curve and the search trials, with a row per trial", async () => {
    await page.waitForFunction(() => [...document.querySelectorAll("canvas")].every((canvas) => canvas.width > 0));
    const inked = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLCanvasElement>("canvas")].map((canvas) => {
        const pixels = canvas.getContext("2d")?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
        let drawn = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) drawn++;
        return drawn;
      }),
    );
    expect(inked).toHaveLength(new Set(data.curves.map((point) => point.name)).size + 1);
    for (const drawn of inked) expect(drawn).toBeGreaterThan(100);
    expect(await section("Search trials").locator("tbody tr").count()).toBe(2);
    expect((await section("Search trials").locator("tbody").innerText()).match(/★/g)).toHaveLength(1);
  });

  it("shows the code commit, the dataset's hash and rows, the reproduction's verdict and the artifact files", async () => {
    expect(await section("Code").locator("dd").first().innerText()).toBe(run.githash);
    expect(await section("Code").innerText()).toContain("clean:");
    const dataset = (await section("Dataset").innerText()).replace(/\s+/g, " ");
    expect(dataset).toContain(`content hash ${run.dataset_hash}`);
    expect(dataset).toContain(`rows ${(run.dataset_rows as number).toLocaleString("en-US")}`);
    const verdict = (await section("Reproductions").locator("tbody tr").innerText()).replace(/\s+/g, " ");
    expect(verdict).toContain(`reproduced as ${reproduction.run_id}`);
    expect(verdict).toMatch(/^(identical|within tolerance)/);
    const files = await section("Artifacts").locator("tbody tr td:first-child").allInnerTexts();
    expect(files.sort()).toEqual(data.artifacts.files.map((file) => file.path).sort());
    await page.screenshot({ path: path.join(SCREENSHOTS, "run-page-dark.png"), fullPage: true });
  });

  it("saves the run id as its state, for the panel serializer after a reload", async () => {
    expect((await host()).state).toEqual({ runId: run.run_id });
  });

  it("posts the typed action message for each button, and shows the extension's notice", async () => {
    const labels = await page.locator(".actions-bar vscode-button").allInnerTexts();
    expect(labels).toEqual(["Reproduce", "Compare with…", "Checkout code", "Open in worktree", "Open artifacts", "Copy run_id"]);
    for (const action of RUN_PAGE_ACTIONS) await page.locator(`.actions-bar vscode-button[data-action="${action}"]`).click();
    const posted = (await host()).posted;
    expect(posted[0]).toEqual({ type: "ready" });
    expect(posted.slice(1)).toEqual(RUN_PAGE_ACTIONS.map((action) => ({ type: "action", action, runId: run.run_id })));
    for (const message of posted) expect(isFromRunPage(message), JSON.stringify(message)).toBe(true);
    await page.evaluate(() => window.postMessage({ type: "notice", level: "error", text: "Cannot check out run x: the working tree has uncommitted changes (a.ts)." }, "*"));
    await page.waitForFunction(() => document.querySelector(".notice-error")?.textContent?.includes("uncommitted changes"));
  });

  it("says so when the run is gone", async () => {
    await page.evaluate((runId) => window.postMessage({ type: "missing", runId, message: `Run ${runId} is not in this workspace's run database.` }, "*"), run.run_id);
    await page.locator(".empty-state").filter({ hasText: "is not in this workspace's run database" }).waitFor({ state: "visible" });
    expect(await page.locator("canvas").count()).toBe(0);
  });

  it("runs only the nonce-carrying bundle: no inline code, no CSP violation or error (and would have noticed one)", async () => {
    const html = await (await fetch(`${server.origin}/run`)).text();
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? "";
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:\/\/(?!127\.0\.0\.1)/);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0][1]).toContain(`nonce="${nonce}"`);
    expect(scripts[0][1]).toMatch(/src="[^"]+\/webview\/run\.js"/);
    expect(scripts[0][2].trim()).toBe("");
    expect(html).not.toMatch(/\son[a-z]+=|style="/i);
    expect(await page.evaluate(() => [...document.querySelectorAll("*")].flatMap((element) => element.getAttributeNames().filter((name) => name.startsWith("on"))))).toEqual([]);
    expect([...errors, ...(await host()).problems]).toEqual([]);
    await page.evaluate(() => {
      const inline = document.createElement("script");
      inline.textContent = "window.__inlineRan = true;";
      document.body.append(inline);
    });
    await page.waitForFunction(() => (window as unknown as { __host: Host }).__host.problems.length > 0);
    expect((await host()).problems.join("\n")).toMatch(/CSP violation: script-src/);
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
  });
});
