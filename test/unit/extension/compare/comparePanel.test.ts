import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ModelRun } from "../../../../src/core/store/runRecord";
import type { CompareRunSource } from "../../../../src/extension/compare/runSource";
import { COMPARE_VIEW_TYPE, type ToWebview } from "../../../../src/protocol/compare";
import { makeRun } from "../../../helpers/runs";
import type { RunCommandDeps } from "../../../../src/extension/runs/runCommands";
import type { RunsView } from "../../../../src/extension/runs/runsView";
import { fake, FakeWebviewPanel, reset, setTabs, TabInputWebview, Uri } from "./fakeVscode";

vi.mock("vscode", () => import("./fakeVscode"));

const { ComparePanel } = await import("../../../../src/extension/compare/comparePanel");
const { compareRunsCommand, compareWithCommand } = await import("../../../../src/extension/runs/runCommands");

let runs: ModelRun[];
const source: CompareRunSource = { list: async () => runs, history: async () => [], trials: async () => [] };

function register(options: { reviveTimeoutMs?: number } = {}) {
  const context = { subscriptions: [] as { dispose(): void }[], extensionUri: Uri.file("/ext") };
  const log = vi.fn();
  // The fake Uri stands in for vscode.Uri.
  const panel = ComparePanel.register(context as never, { folder: () => "/workspace", source, log, ...options });
  return { panel, context, log };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const messages = (panel: FakeWebviewPanel, type: ToWebview["type"]) => (panel.posted as ToWebview[]).filter((message) => message.type === type);
const lastRuns = (panel: FakeWebviewPanel) => messages(panel, "runs").at(-1) as Extract<ToWebview, { type: "runs" }> | undefined;

beforeEach(() => {
  reset();
  runs = [makeRun({ run_id: "a", model_class: "M" }), makeRun({ run_id: "b", model_class: "M" }), makeRun({ run_id: "c", model_class: "N" })];
});

describe("ComparePanel", () => {
  it("registers its panel serializer and disposes with the extension", () => {
    const { context } = register();
    expect(fake.serializers.has(COMPARE_VIEW_TYPE)).toBe(true);
    for (const disposable of context.subscriptions) disposable.dispose();
    expect(fake.serializers.has(COMPARE_VIEW_TYPE)).toBe(false);
  });

  it("opens a scripted panel limited to the bundle's folder, without retaining a hidden page", async () => {
    const { panel } = register();
    await panel.show(["a", "b"]);
    const [webviewPanel] = fake.panels;
    expect(webviewPanel.viewType).toBe(COMPARE_VIEW_TYPE);
    expect(webviewPanel.options).toEqual({ enableFindWidget: true });
    expect(webviewPanel.webview.options).toEqual({ enableScripts: true, localResourceRoots: [Uri.file("/ext/dist/webview")] });
    expect(webviewPanel.webview.html).toContain("script-src 'nonce-");
    expect(webviewPanel.webview.html).toContain("style-src https://fake.vscode-cdn.net");
    expect(webviewPanel.webview.html).toContain('src="https://fake.vscode-cdn.net/ext/dist/webview/compare.js"');
  });

  it("answers the page's ready with the runs and titles the panel", async () => {
    const { panel } = register();
    await panel.show(["a", "b"]);
    const webviewPanel = fake.panels[0];
    webviewPanel.receive({ type: "ready" });
    await flush();
    expect(lastRuns(webviewPanel)?.runs.map((run) => run.run_id)).toEqual(["a", "b"]);
    expect(webviewPanel.title).toBe("Compare: 2 runs");
  });

  it("reuses the open panel for the next comparison", async () => {
    const { panel } = register();
    await panel.show(["a"]);
    await panel.show(["b", "c"]);
    expect(fake.panels).toHaveLength(1);
    expect(fake.panels[0].revealed).toBe(1);
    expect(lastRuns(fake.panels[0])?.selection.runIds).toEqual(["b", "c"]);
  });

  it("compares every run of a model, following new ones", async () => {
    const { panel } = register();
    await panel.showModel("M");
    // A new panel's page asks for the runs once it has loaded.
    fake.panels[0].receive({ type: "ready" });
    await flush();
    expect(lastRuns(fake.panels[0])?.selection).toEqual({ runIds: ["a", "b"], followModel: "M", removed: [] });
    runs.push(makeRun({ run_id: "d", model_class: "M" }));
    panel.refresh();
    await flush();
    expect(lastRuns(fake.panels[0])?.selection.runIds).toEqual(["a", "b", "d"]);
  });

  it("refreshes visible panels only, and on ticks only while a compared run is running", async () => {
    const { panel } = register();
    await panel.show(["a"]);
    const webviewPanel = fake.panels[0];
    const before = webviewPanel.posted.length;
    panel.refreshIfRunning();
    await flush();
    expect(webviewPanel.posted.length).toBe(before);
    runs[0] = makeRun({ run_id: "a", status: "running", end_time: null, pid: process.pid });
    panel.refresh();
    await flush();
    panel.refreshIfRunning();
    await flush();
    expect(webviewPanel.posted.length).toBe(before + 2);
    webviewPanel.visible = false;
    panel.refresh();
    await flush();
    expect(webviewPanel.posted.length).toBe(before + 2);
  });

  it("ignores and logs malformed messages", async () => {
    const { panel, log } = register();
    await panel.show(["a"]);
    fake.panels[0].receive({ type: "runAction", action: "format-disk", runId: "a" });
    await flush();
    expect(log).toHaveBeenCalledWith(expect.stringContaining("malformed"));
    expect(fake.commands).toEqual([]);
  });

  it("restores a panel after a reload from the state its page saved", async () => {
    register();
    const serializer = fake.serializers.get(COMPARE_VIEW_TYPE) as { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> };
    const restored = new FakeWebviewPanel(COMPARE_VIEW_TYPE, "Compare", {});
    await serializer.deserializeWebviewPanel(restored, { selection: { runIds: ["c", "gone"] }, view: { metric: "f1" } });
    expect(restored.webview.html).toContain("Content-Security-Policy");
    restored.receive({ type: "ready" });
    await flush();
    expect(lastRuns(restored)).toMatchObject({ selection: { runIds: ["c"] }, deleted: ["gone"] });
  });

  it("restores an unreadable state as an empty comparison rather than failing", async () => {
    register();
    const serializer = fake.serializers.get(COMPARE_VIEW_TYPE) as { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> };
    const restored = new FakeWebviewPanel(COMPARE_VIEW_TYPE, "Compare", {});
    await serializer.deserializeWebviewPanel(restored, "junk");
    restored.receive({ type: "ready" });
    await flush();
    expect(lastRuns(restored)?.runs).toEqual([]);
  });

  it("runs per-run actions through the mlexp commands (checkout without asking: detached) and shows a refusal in the panel", async () => {
    const { panel } = register();
    await panel.show(["a"]);
    fake.commandResult = { ok: false, message: "Cannot check out run a: the working tree has uncommitted changes (x.ts)." };
    fake.panels[0].receive({ type: "runAction", action: "checkout", runId: "a" });
    await flush();
    expect(fake.commands).toEqual([{ command: "mlexp.checkoutRun", args: [{ runId: "a", branch: false, notify: false }] }]);
    expect(messages(fake.panels[0], "notice").at(-1)).toEqual({ type: "notice", level: "error", text: fake.commandResult && (fake.commandResult as { message: string }).message });
    fake.panels[0].receive({ type: "runAction", action: "reproduce", runId: "a" });
    fake.panels[0].receive({ type: "runAction", action: "worktree", runId: "a" });
    fake.panels[0].receive({ type: "runAction", action: "openArtifacts", runId: "a" });
    fake.panels[0].receive({ type: "runAction", action: "copyRunId", runId: "a" });
    await flush();
    expect(fake.commands.map((call) => call.command)).toEqual(["mlexp.checkoutRun", "mlexp.reproduceRun", "mlexp.openRunInWorktree", "mlexp.openRunArtifacts"]);
    expect(fake.clipboard).toBe("a");
  });

  it("adds picked runs, and exports CSV where the user saves it", async () => {
    const { panel } = register();
    await panel.show(["a"]);
    fake.quickPick = (items) => items.filter((item) => item.runId === "c");
    fake.panels[0].receive({ type: "addRuns" });
    await flush();
    expect(lastRuns(fake.panels[0])?.selection.runIds).toEqual(["a", "c"]);
    fake.saveTarget = Uri.file("/workspace/out.csv");
    fake.panels[0].receive({ type: "exportCsv", csv: "rank,run_id\r\n", fileName: "x.csv" });
    await flush();
    expect(fake.written).toEqual([{ path: "/workspace/out.csv", text: "rank,run_id\r\n" }]);
  });

  it("compares a run with runs the user picks", async () => {
    const { panel } = register();
    fake.quickPick = (items) => {
      expect(items.map((item) => item.runId)).not.toContain("b");
      return items.filter((item) => item.runId === "a");
    };
    await panel.compareWith("b");
    fake.panels[0].receive({ type: "ready" });
    await flush();
    expect(lastRuns(fake.panels[0])?.selection.runIds).toEqual(["b", "a"]);
  });

  it("opens a new panel after the user closed the last one", async () => {
    const { panel } = register();
    await panel.show(["a"]);
    fake.panels[0].dispose();
    expect(panel.openPanels).toBe(0);
    await panel.show(["b"]);
    expect(fake.panels).toHaveLength(2);
    expect(panel.openPanels).toBe(1);
  });

  it("reveals and updates the one panel from every entry point: palette, Runs view selection, model lens, Compare with…", async () => {
    const { panel } = register();
    const runsView = { allRuns: async () => runs, options: () => ({ groupByModel: false }) } as unknown as RunsView;
    const deps = { folder: () => "/workspace", runsView, comparer: panel } as unknown as RunCommandDeps;
    const node = (run: ModelRun) => ({ kind: "run", run });
    fake.quickPick = (items) => items.filter((item) => item.runId !== "c");
    await compareRunsCommand(deps, undefined, undefined);
    await compareRunsCommand(deps, node(runs[2]), [node(runs[0]), node(runs[2])]);
    await compareRunsCommand(deps, { model: "N", workspace: "/workspace" }, undefined);
    fake.quickPick = (items) => items.filter((item) => item.runId === "b");
    // The run page's "Compare with…" calls the same panel's compareWith.
    await compareWithCommand(deps, node(runs[0]));
    expect(fake.panels).toHaveLength(1);
    expect(fake.panels[0].revealed).toBe(3);
    fake.panels[0].receive({ type: "ready" });
    await flush();
    expect(lastRuns(fake.panels[0])?.selection.runIds).toEqual(["a", "b"]);
  });

  describe("after a window reload, with the comparison tab restored in the background (VS Code revives it only when shown)", () => {
    const comparisonTab = { label: "Compare: 2 runs", input: new TabInputWebview(`mainThreadWebview-${COMPARE_VIEW_TYPE}`) };
    const textTab = { label: "model.ts", input: {} };

    /** VS Code's side: showing the tab revives it through the registered serializer. */
    function reviveWhenShown(group: number, index: number): FakeWebviewPanel {
      const restored = new FakeWebviewPanel(COMPARE_VIEW_TYPE, "Compare: 2 runs", {});
      fake.onCommand = (command, args) => {
        if (command !== "workbench.action.openEditorAtIndex" || args[0] !== index || !fake.tabGroups[group].isActive) return;
        const serializer = fake.serializers.get(COMPARE_VIEW_TYPE) as { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> };
        void serializer.deserializeWebviewPanel(restored, { selection: { runIds: ["a", "b"] } });
      };
      return restored;
    }

    it("shows that tab, adopts the panel VS Code revives, and updates it rather than opening a second one", async () => {
      const { panel } = register();
      setTabs([textTab, comparisonTab]);
      const restored = reviveWhenShown(0, 1);
      await panel.show(["c"]);
      expect(fake.panels).toEqual([]);
      expect(panel.openPanels).toBe(1);
      expect(restored.revealed).toBe(1);
      restored.receive({ type: "ready" });
      await flush();
      expect(lastRuns(restored)?.selection.runIds).toEqual(["c"]);
      // The next comparison reuses it too.
      await panel.show(["a"]);
      expect(fake.panels).toEqual([]);
      expect(lastRuns(restored)?.selection.runIds).toEqual(["a"]);
    });

    it("focuses the tab's editor group first when it is not the active one", async () => {
      const { panel } = register();
      setTabs([textTab], [textTab, comparisonTab]);
      const restored = reviveWhenShown(1, 1);
      fake.onCommand = ((revive) => (command: string, args: unknown[]) => {
        if (command === "workbench.action.focusSecondEditorGroup") fake.tabGroups.forEach((group, index) => (group.isActive = index === 1));
        revive?.(command, args);
      })(fake.onCommand);
      await panel.show(["b"]);
      expect(fake.commands.map((call) => call.command)).toEqual(["workbench.action.focusSecondEditorGroup", "workbench.action.openEditorAtIndex"]);
      expect(fake.panels).toEqual([]);
      expect(restored.revealed).toBe(1);
    });

    it("replaces the tab in its group when VS Code does not revive it, so there is still one comparison", async () => {
      const { panel, log } = register({ reviveTimeoutMs: 10 });
      const [, [, tab]] = setTabs([textTab], [textTab, comparisonTab]);
      await panel.show(["a"]);
      expect(fake.closedTabs).toEqual([tab]);
      expect(fake.panels).toHaveLength(1);
      expect(fake.columns).toEqual([2]);
      expect(log).toHaveBeenCalledWith(expect.stringContaining("was not revived"));
    });
  });
});
