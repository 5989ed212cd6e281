import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ModelRun } from "../../../../src/core/store/runRecord";
import type { CompareRunSource } from "../../../../src/extension/compare/runSource";
import { RUN_PAGE_VIEW_TYPE, type ToRunPage } from "../../../../src/protocol/runPage";
import { makeRun } from "../../../helpers/runs";
import { fake, FakeWebviewPanel, reset, setTabs, TabInputWebview, Uri } from "../compare/fakeVscode";

vi.mock("vscode", () => import("../compare/fakeVscode"));

const { RunPagePanel } = await import("../../../../src/extension/runPage/runPagePanel");

// The run page's panel: one page, reused for the next run shown, and after a window reload the
// page VS Code restored in a background tab rather than a second one.

const runs: ModelRun[] = [makeRun({ run_id: "20261126-010000-aaaaaaaa" }), makeRun({ run_id: "20261126-020000-bbbbbbbb" })];
const source: CompareRunSource = { list: async () => runs, history: async () => [], trials: async () => [] };
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const shownRunIds = (panel: FakeWebviewPanel) => (panel.posted as ToRunPage[]).flatMap((message) => (message.type === "run" ? [message.page.runId] : []));

function register(options: { reviveTimeoutMs?: number } = {}) {
  const context = { subscriptions: [] as { dispose(): void }[], extensionUri: Uri.file("/ext") };
  const log = vi.fn();
  const page = RunPagePanel.register(context as never, { folder: () => undefined, source, components: async () => [], runAction: async () => undefined, compareWith: async () => undefined, log, ...options });
  return { page, log };
}

beforeEach(() => reset());

describe("RunPagePanel", () => {
  it("shows the next run in the same page", async () => {
    const { page } = register();
    await page.show(runs[0].run_id);
    await page.show(runs[1].run_id);
    expect(fake.panels).toHaveLength(1);
    expect(fake.panels[0].title).toBe(`Run ${runs[1].run_id}`);
    await flush();
    expect(shownRunIds(fake.panels[0]).at(-1)).toBe(runs[1].run_id);
  });

  it("after a reload, shows the run in the page VS Code restored in a background tab (revived once shown), not in a second one", async () => {
    const { page } = register();
    setTabs([{ label: "model.ts", input: {} }, { label: `Run ${runs[0].run_id}`, input: new TabInputWebview(`mainThreadWebview-${RUN_PAGE_VIEW_TYPE}`) }]);
    const restored = new FakeWebviewPanel(RUN_PAGE_VIEW_TYPE, `Run ${runs[0].run_id}`, {});
    fake.onCommand = (command, args) => {
      if (command !== "workbench.action.openEditorAtIndex" || args[0] !== 1) return;
      const serializer = fake.serializers.get(RUN_PAGE_VIEW_TYPE) as { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> };
      void serializer.deserializeWebviewPanel(restored, { runId: runs[0].run_id });
    };
    await page.show(runs[1].run_id);
    expect(fake.panels).toEqual([]);
    expect(page.openRunId).toBe(runs[1].run_id);
    expect(restored.title).toBe(`Run ${runs[1].run_id}`);
    expect(restored.webview.html).toContain("script-src 'nonce-");
    await flush();
    expect(shownRunIds(restored).at(-1)).toBe(runs[1].run_id);
  });

  it("opens a new page at once when the restored one had no run to show (its serializer closed it)", async () => {
    const { page, log } = register({ reviveTimeoutMs: 60_000 });
    setTabs([{ label: "Run", input: new TabInputWebview(`mainThreadWebview-${RUN_PAGE_VIEW_TYPE}`) }]);
    const restored = new FakeWebviewPanel(RUN_PAGE_VIEW_TYPE, "Run", {});
    fake.onCommand = () => {
      const serializer = fake.serializers.get(RUN_PAGE_VIEW_TYPE) as { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> };
      void serializer.deserializeWebviewPanel(restored, undefined);
    };
    await page.show(runs[0].run_id);
    expect(restored.disposed).toBe(true);
    expect(fake.panels).toHaveLength(1);
    expect(log).not.toHaveBeenCalled();
  });

  it("replaces a restored page that VS Code does not revive, in its own group", async () => {
    const { page, log } = register({ reviveTimeoutMs: 10 });
    const [, [tab]] = setTabs([{ label: "model.ts", input: {} }], [{ label: "Run", input: new TabInputWebview(`mainThreadWebview-${RUN_PAGE_VIEW_TYPE}`) }]);
    await page.show(runs[0].run_id);
    expect(fake.commands.map((call) => call.command)).toEqual(["workbench.action.focusSecondEditorGroup", "workbench.action.openEditorAtIndex"]);
    expect(fake.closedTabs).toEqual([tab]);
    expect(fake.columns).toEqual([2]);
    expect(log).toHaveBeenCalledWith(expect.stringContaining("was not revived"));
  });
});
