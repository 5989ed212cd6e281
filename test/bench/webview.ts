/**
 * The comparison webview in headless Chromium (the panel's real HTML, CSP and bundle): time to first
 * render when the runs arrive, time to re-rank when the metric changes, and when the chart of the
 * new ranking is drawn, at 10 to 10,000 runs. `npx tsx test/bench/webview.ts` (after `node esbuild.js`).
 */
import type { Page } from "playwright-core";
import type { RunsMessage } from "../../src/protocol/compare";
import { fakeStore } from "../integration/webview/fixtures";
import { launchChromium, openPanel, startPanelServer } from "../integration/webview/harness";
import { median, printTable } from "./timing";

const SIZES = [10, 100, 1000, 10_000];
const RERANKS = 5;

interface Timing {
  /** From posting the message to the table rendered and the frame after it (laid out, painted). */
  tableMs: number;
  /** Until the chart of the active tab was drawn too. */
  chartMs: number;
}

/** Runs `start` in the page and times it until the table rendered and until the charts were drawn. */
function timeInPage(page: Page, start: string, argument: string): Promise<Timing> {
  return page.evaluate(
    ([startSource, arg]) =>
      new Promise<Timing>((resolve) => {
        const t0 = performance.now();
        let tableMs = 0;
        document.addEventListener("mlexp-rendered", () => requestAnimationFrame(() => setTimeout(() => (tableMs = performance.now() - t0))), { once: true });
        document.addEventListener("mlexp-charts-drawn", () => requestAnimationFrame(() => setTimeout(() => resolve({ tableMs, chartMs: performance.now() - t0 }))), { once: true });
        // The action comes as source text: functions cannot cross into the page.
        new Function("arg", startSource)(arg);
      }),
    [start, argument] as const,
  );
}

const POST_RUNS = "window.postMessage(JSON.parse(arg), '*');";
const CHOOSE_METRIC = "const select = document.getElementById('metric-select'); select.value = arg; select.dispatchEvent(new Event('change'));";

async function measure(origin: string, browser: Awaited<ReturnType<typeof launchChromium>>, size: number): Promise<(string | number)[]> {
  const store = fakeStore(size);
  const panel = await openPanel(browser, origin, { store: { runs: [], curves: {}, trials: {} }, answerReady: false });
  try {
    const message: RunsMessage = { type: "runs", runs: store.runs, deleted: [], selection: { runIds: store.runs.map((run) => run.run_id) }, title: `${size} runs` };
    const first = await timeInPage(panel.page, POST_RUNS, JSON.stringify(message));
    const reranks: Timing[] = [];
    for (let i = 0; i < RERANKS; i++) reranks.push(await timeInPage(panel.page, CHOOSE_METRIC, i % 2 === 0 ? "log_loss" : "accuracy"));
    const problems = await panel.problems();
    if (problems.length) throw new Error(`The page reported problems: ${problems.join("; ")}`);
    return [size.toLocaleString("en-US"), first.tableMs, first.chartMs, median(reranks.map((t) => t.tableMs)), median(reranks.map((t) => t.chartMs))];
  } finally {
    await panel.close();
  }
}

export async function benchWebview(): Promise<void> {
  const server = await startPanelServer();
  const browser = await launchChromium();
  try {
    const rows: (string | number)[][] = [];
    for (const size of SIZES) rows.push(await measure(server.origin, browser, size));
    printTable(
      `Comparison webview in headless Chromium (ms; re-rank: median of ${RERANKS} metric switches; includes structured-clone of the runs message)`,
      ["runs", "first render: table", "first render: + chart", "re-rank: table", "re-rank: + chart"],
      rows,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

if (require.main === module) void benchWebview();
