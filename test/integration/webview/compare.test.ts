import * as fs from "node:fs";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricValue } from "../../../src/core/compare/compare";
import type { ModelRun } from "../../../src/core/store/runRecord";
import type { ComparePanelState } from "../../../src/protocol/compare";
import { DEFAULT_VIEW } from "../../../webview/compare/viewState";
import { fakeStore } from "./fixtures";
import { chooseOption, headerLabels, launchChromium, openPanel, startPanelServer, switchTheme, visibleRows, waitForCharts, type PanelPage } from "./harness";

// The comparison page as VS Code shows it: the panel's own HTML and CSP, the bundled script, a
// stand-in for acquireVsCodeApi answering like the extension, 1,000 runs.

const SCREENSHOTS = path.resolve(__dirname, "../../../test-results");
const RUN_COUNT = 1000;

const best = (runs: readonly ModelRun[], metric: string, direction: "max" | "min") =>
  runs.filter((run) => metricValue(run, metric) !== null).sort((a, b) => (direction === "max" ? -1 : 1) * ((metricValue(a, metric) as number) - (metricValue(b, metric) as number)))[0];

const countText = (page: Page) => page.locator(".run-count").textContent();

/** Pixels drawn on the canvas of a chart tab (0: nothing drawn). */
async function ink(page: Page, tab: number): Promise<number> {
  return page.evaluate((index) => {
    const canvas = document.querySelectorAll<HTMLCanvasElement>(".chart-box canvas")[index];
    if (!canvas.width || !canvas.height) return 0;
    const pixels = canvas.getContext("2d")?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
    let drawn = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) drawn++;
    return drawn;
  }, tab);
}

async function openTab(page: Page, tab: number): Promise<void> {
  await waitForCharts(page, () => page.locator("vscode-tab-header").nth(tab).click());
  await page.waitForFunction((index) => {
    const canvas = document.querySelectorAll<HTMLCanvasElement>(".chart-box canvas")[index];
    return canvas.closest<HTMLElement>(".chart-box")?.hidden === false && canvas.width > 0;
  }, tab);
}

describe("comparison webview in Chromium", () => {
  let server: Awaited<ReturnType<typeof startPanelServer>>;
  let browser: Browser;

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startPanelServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  describe(`with ${RUN_COUNT.toLocaleString()} runs`, () => {
    const store = fakeStore(RUN_COUNT);
    let panel: PanelPage;
    let page: Page;

    beforeAll(async () => {
      panel = await openPanel(browser, server.origin, { store });
      page = panel.page;
    });

    afterAll(() => panel?.close());

    it("renders the runs ranked by their metric, the best marked, keeping only the rows in view in the page", async () => {
      expect(await countText(page)).toBe("1,000 runs");
      const top = best(store.runs, "accuracy", "max");
      const rows = await visibleRows(page);
      expect(rows[0].slice(0, 2)).toEqual(["★ 1", top.run_id]);
      expect(rows.length).toBeGreaterThan(10);
      expect(rows.length).toBeLessThan(80);
      expect(await page.locator(".grid").getAttribute("aria-rowcount")).toBe("1001");
      expect((await headerLabels(page)).slice(0, 3)).toEqual(["Rank", "Run", "accuracy"]);
      expect(await page.locator(".direction").textContent()).toBe("↑ higher is better");
    });

    it("states what all runs share once", async () => {
      const common = await page.locator(".commonalities dl").allTextContents();
      expect(common.join(" ")).toContain("StandardScaler");
      expect(common.join(" ")).toContain("data/iris.csv");
      expect(await page.locator(".commonalities").getAttribute("description")).toMatch(/fields shared by all 1,000 runs/);
    });

    it("re-ranks when another metric is chosen, in that metric's direction", async () => {
      await chooseOption(page, "#metric-select", "log_loss");
      await page.waitForFunction(() => document.querySelector(".direction")?.textContent === "↓ lower is better");
      const top = best(store.runs, "log_loss", "min");
      const rows = await visibleRows(page);
      expect(rows[0].slice(0, 2)).toEqual(["★ 1", top.run_id]);
      expect((await headerLabels(page))[2]).toBe("log_loss");
      const values = rows.slice(0, 10).map((row) => Number(row[2]));
      expect(values).toEqual([...values].sort((a, b) => a - b));
      await chooseOption(page, "#metric-select", "accuracy");
      await page.waitForFunction(() => document.querySelector(".direction")?.textContent === "↑ higher is better");
    });

    it('hides the columns where all runs agree with "differences only", and highlights differing cells', async () => {
      expect(await headerLabels(page)).toEqual(expect.arrayContaining(["Dataset", "Features", "Seed", "learningRate"]));
      expect(await page.locator(".grid-body .cell.differs").count()).toBeGreaterThan(0);
      await page.locator("vscode-checkbox").click();
      await page.waitForFunction(() => ![...document.querySelectorAll(".grid-header .column-label")].some((label) => label.firstChild?.textContent === "Dataset"));
      const labels = await headerLabels(page);
      expect(labels).not.toContain("Features");
      expect(labels).not.toContain("Seed");
      expect(labels).toEqual(expect.arrayContaining(["Rank", "Run", "accuracy", "Model", "learningRate", "Code", "Started"]));
      await page.locator("vscode-checkbox").click();
      await page.waitForFunction(() => [...document.querySelectorAll(".grid-header .column-label")].some((label) => label.firstChild?.textContent === "Dataset"));
    });

    it("sorts by a column header, both ways, and back to rank", async () => {
      const byStart = [...store.runs].sort((a, b) => a.start_time.localeCompare(b.start_time));
      const header = page.locator(".grid-header .sort-button", { hasText: "Started" });
      await header.click();
      expect((await visibleRows(page))[0][1]).toBe(byStart[0].run_id);
      expect(await page.locator(".grid-header [role=columnheader]", { hasText: "Started" }).getAttribute("aria-sort")).toBe("ascending");
      await header.click();
      expect((await visibleRows(page))[0][1]).toBe(byStart.at(-1)?.run_id);
      await page.locator(".grid-header .sort-button", { hasText: "Rank" }).click();
      expect((await visibleRows(page))[0][0]).toBe("★ 1");
    });

    it("filters by words and by field tests", async () => {
      const filter = page.locator("#filter-input input");
      await filter.fill("model=forest");
      const forests = store.runs.filter((run) => run.model_class === "RandomForest").length;
      await page.waitForFunction((text) => document.querySelector(".run-count")?.textContent === text, `${forests} of 1,000 runs`);
      const modelColumn = (await headerLabels(page)).indexOf("Model");
      expect(new Set((await visibleRows(page)).map((row) => row[modelColumn]))).toEqual(new Set(["RandomForest"]));
      await filter.fill("accuracy>0.9 -forest");
      const expected = store.runs.filter((run) => (metricValue(run, "accuracy") ?? 0) > 0.9 && run.model_class !== "RandomForest").length;
      await page.waitForFunction((text) => document.querySelector(".run-count")?.textContent === text, `${expected} of 1,000 runs`);
      await filter.fill("");
      await page.waitForFunction(() => document.querySelector(".run-count")?.textContent === "1,000 runs");
    });

    it("scrolls through all the runs, rendering only what is in view", async () => {
      await page.locator(".grid").evaluate((grid) => (grid.scrollTop = grid.scrollHeight));
      await page.waitForFunction(() => [...document.querySelectorAll<HTMLElement>(".grid-body .grid-row:not([hidden])")].some((row) => row.dataset.index === "999"));
      expect(await page.locator(".grid-body .grid-row").count()).toBeLessThan(80);
      await page.locator(".grid").evaluate((grid) => (grid.scrollTop = 0));
    });

    it("draws the chosen metric per run, the learning curves, a parameter against the metric, and a run's search trials", async () => {
      await openTab(page, 0);
      expect(await ink(page, 0)).toBeGreaterThan(1000);
      await openTab(page, 1);
      await page.waitForFunction(() => document.querySelectorAll(".chart-box canvas")[1]?.getAttribute("aria-label")?.startsWith("Learning curves"));
      expect((await panel.posted()).some((message) => message.type === "requestCurves")).toBe(true);
      expect(await ink(page, 1)).toBeGreaterThan(1000);
      await openTab(page, 2);
      await chooseOption(page, "#scatter-field", "params.learningRate");
      await page.waitForFunction(() => document.querySelectorAll(".chart-box canvas")[2]?.getAttribute("aria-label")?.includes("params.learningRate"));
      expect(await ink(page, 2)).toBeGreaterThan(1000);
      await openTab(page, 3);
      await page.waitForFunction(() => document.querySelectorAll(".chart-box canvas")[3]?.getAttribute("aria-label")?.startsWith("Search trials"));
      expect((await panel.posted()).some((message) => message.type === "requestTrials")).toBe(true);
      expect(await ink(page, 3)).toBeGreaterThan(500);
      await openTab(page, 0);
    });

    it("is keyboard accessible: arrows move, Enter selects, actions go to the extension, Delete removes", async () => {
      await page.locator(".grid").focus();
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Enter");
      const second = (await visibleRows(page))[1][1];
      await page.waitForFunction((runId) => document.querySelector(".selected-run")?.textContent?.startsWith(runId), second);
      expect(await page.locator(".grid").getAttribute("aria-activedescendant")).toMatch(/^grid-row-\d+$/);
      expect(await page.locator(".grid-row.selected").getAttribute("aria-selected")).toBe("true");
      await page.locator('vscode-button[data-action="copyRunId"]').click();
      await page.locator('vscode-button[data-action="checkout"]').click();
      await page.locator(".grid").focus();
      await page.keyboard.press("Delete");
      const posted = await panel.posted();
      expect(posted).toContainEqual({ type: "runAction", action: "copyRunId", runId: second });
      expect(posted).toContainEqual({ type: "runAction", action: "checkout", runId: second });
      expect(posted).toContainEqual({ type: "removeRuns", runIds: [second] });
    });

    it("exports the table as CSV through the extension", async () => {
      await page.locator("vscode-button", { hasText: "Export CSV" }).click();
      const exported = (await panel.posted()).find((message) => message.type === "exportCsv");
      expect(exported?.type === "exportCsv" && exported.csv.split("\r\n").length).toBe(RUN_COUNT + 2);
      expect(exported?.type === "exportCsv" && exported.fileName).toMatch(/^mlexp-comparison-\d{8}-\d{4}\.csv$/);
    });

    it("updates live when runs finish or are deleted", async () => {
      const deleted = store.runs.slice(-10).map((run) => run.run_id);
      const running = store.runs.find((run) => run.status === "running");
      expect(running && !deleted.includes(running.run_id)).toBe(true);
      const remaining = store.runs.slice(0, -10).map((run) => (run.status === "running" ? { ...run, status: "finished" as const, end_time: run.start_time, metrics: { accuracy: 0.999, log_loss: 0.01 } } : run));
      await panel.send({ type: "runs", runs: remaining, deleted, selection: { runIds: remaining.map((run) => run.run_id) }, title: `${remaining.length} runs` });
      expect(await countText(page)).toBe("990 runs");
      expect(await page.locator(".notice").textContent()).toContain("10 compared runs deleted");
      expect((await visibleRows(page))[0][2]).toBe("0.999");
      await panel.send({ type: "notice", level: "error", text: "Cannot check out run x: the working tree has uncommitted changes (a.ts)." });
      await page.waitForFunction(() => document.querySelector(".notice-error")?.textContent?.includes("uncommitted changes"));
    });

    it("saves its view state for a restore", async () => {
      const state = await panel.state();
      expect(state?.selection.runIds).toHaveLength(990);
      expect(state?.view).toMatchObject({ metric: "accuracy", differencesOnly: false, filter: "", chart: "metric", scatterField: "params.learningRate" });
    });

    it("loaded and ran without CSP violations or errors (and would have noticed one)", async () => {
      expect(await panel.problems()).toEqual([]);
      await page.evaluate(() => {
        const probe = document.createElement("div");
        probe.innerHTML = '<span style="color: red">inline style</span>';
        document.body.append(probe);
      });
      await page.waitForFunction(() => (window as unknown as { __host: { problems: string[] } }).__host.problems.length > 0);
      expect((await panel.problems()).join("\n")).toMatch(/CSP violation: style-src-attr/);
    });
  });

  it("restores its view after a reload, from the state it saved", async () => {
    const store = fakeStore(300, 11);
    const state: ComparePanelState = {
      selection: { runIds: store.runs.map((run) => run.run_id) },
      view: { ...DEFAULT_VIEW, metric: "f1", differencesOnly: true, filter: "model=logistic", chart: "scatter", scatterField: "params.l2" },
    };
    const panel = await openPanel(browser, server.origin, { store, state });
    try {
      const page = panel.page;
      expect(await page.locator("#metric-select").evaluate((select) => (select as HTMLElement & { value: string }).value)).toBe("f1");
      expect(await page.locator("#filter-input").evaluate((field) => (field as HTMLElement & { value: string }).value)).toBe("model=logistic");
      expect(await countText(page)).toBe(`${store.runs.filter((run) => run.model_class === "LogisticRegression").length} of 300 runs`);
      expect(await headerLabels(page)).not.toContain("Dataset");
      await page.waitForFunction(() => document.querySelectorAll(".chart-box canvas")[2]?.getAttribute("aria-label")?.includes("params.l2"));
      expect(await panel.problems()).toEqual([]);
    } finally {
      await panel.close();
    }
  });

  it("follows the theme, charts included, in dark, light and high contrast (screenshots in test-results/)", async () => {
    const store = fakeStore(1000);
    const panel = await openPanel(browser, server.origin, { store, viewport: { width: 1400, height: 1300 } });
    try {
      const page = panel.page;
      await page.locator(".grid-body .grid-row").nth(3).click();
      await page.waitForFunction(() => document.querySelector(".selected-run")?.textContent !== "");
      await page.waitForTimeout(100);
      const chart = () => page.locator(".chart-box canvas").first().evaluate((canvas) => (canvas as HTMLCanvasElement).toDataURL());
      const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await page.screenshot({ path: path.join(SCREENSHOTS, "compare-panel-dark.png") });
      const dark = { chart: await chart(), background: await background() };

      await waitForCharts(page, () => switchTheme(page, server.origin, "light"));
      await page.screenshot({ path: path.join(SCREENSHOTS, "compare-panel-light.png") });
      const light = { chart: await chart(), background: await background() };
      expect(light.background).toBe("rgb(255, 255, 255)");
      expect(dark.background).toBe("rgb(31, 31, 31)");
      expect(light.chart).not.toBe(dark.chart);

      await waitForCharts(page, () => switchTheme(page, server.origin, "high-contrast"));
      await page.screenshot({ path: path.join(SCREENSHOTS, "compare-panel-high-contrast.png") });
      expect(await chart()).not.toBe(light.chart);
      expect(await panel.problems()).toEqual([]);
    } finally {
      await panel.close();
    }
  });
});
