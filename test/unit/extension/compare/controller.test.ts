import { describe, expect, it, vi } from "vitest";
import type { ActionReport } from "../../../../src/extension/compare/actionOutcome";
import { CompareController, type CompareHost } from "../../../../src/extension/compare/controller";
import type { CompareRunSource } from "../../../../src/extension/compare/runSource";
import type { MetricPoint, ModelRun } from "../../../../src/core/store/runRecord";
import type { CompareSelection, ToWebview } from "../../../../src/protocol/compare";
import { makeRun } from "../../../helpers/runs";

function setup(options: { runs?: ModelRun[]; selection?: CompareSelection; host?: Partial<CompareHost> } = {}) {
  let runs = options.runs ?? [makeRun({ run_id: "a", model_class: "M" }), makeRun({ run_id: "b", model_class: "M" }), makeRun({ run_id: "c", model_class: "N" })];
  const history: MetricPoint[] = Array.from({ length: 1000 }, (_, step) => ({ step, name: "loss", value: 1 / (step + 1) }));
  const source: CompareRunSource = {
    list: vi.fn(async () => runs),
    history: vi.fn(async () => history),
    trials: vi.fn(async (runId: string) => [{ trial: 0, params: { runId }, score: 0.5, fold_scores: [] }]),
  };
  const host: CompareHost = {
    pickRunsToAdd: vi.fn(async () => ["c"]),
    saveCsv: vi.fn(async () => "/w/out.csv"),
    runAction: vi.fn(async (): Promise<ActionReport> => ({})),
    setTitle: vi.fn(),
    ...options.host,
  };
  const posted: ToWebview[] = [];
  const controller = new CompareController({ source, host, selection: options.selection ?? { runIds: ["a", "b"] }, post: (message) => (posted.push(message), true) });
  const last = <T extends ToWebview["type"]>(type: T) => posted.filter((m): m is Extract<ToWebview, { type: T }> => m.type === type).at(-1);
  return { controller, source, host, posted, last, setRuns: (next: ModelRun[]) => (runs = next) };
}

describe("CompareController", () => {
  it("answers ready with the selected runs and sets the panel title", async () => {
    const { controller, last, host } = setup();
    await controller.handle({ type: "ready" });
    expect(last("runs")).toMatchObject({ selection: { runIds: ["a", "b"] }, deleted: [], title: "2 runs" });
    expect(last("runs")?.runs.map((run) => run.run_id)).toEqual(["a", "b"]);
    expect(host.setTitle).toHaveBeenCalledWith("2 runs");
  });

  it("adds the runs the user picks, without reopening", async () => {
    const { controller, last, host } = setup();
    await controller.handle({ type: "addRuns" });
    expect(host.pickRunsToAdd).toHaveBeenCalledWith(new Set(["a", "b"]));
    expect(last("runs")?.selection.runIds).toEqual(["a", "b", "c"]);
  });

  it("changes nothing when the user picks no run", async () => {
    const { controller, posted } = setup({ host: { pickRunsToAdd: async () => [] } });
    await controller.handle({ type: "addRuns" });
    expect(posted).toEqual([]);
  });

  it("removes runs", async () => {
    const { controller, last } = setup();
    await controller.handle({ type: "removeRuns", runIds: ["a"] });
    expect(last("runs")?.selection.runIds).toEqual(["b"]);
  });

  it("follows the store: deleted runs leave, new runs of a followed model join", async () => {
    const { controller, last, setRuns } = setup({ selection: { runIds: [], followModel: "M", removed: [] } });
    await controller.refresh();
    expect(last("runs")?.selection.runIds).toEqual(["a", "b"]);
    setRuns([makeRun({ run_id: "b", model_class: "M" }), makeRun({ run_id: "d", model_class: "M", status: "running" })]);
    await controller.refresh();
    expect(last("runs")).toMatchObject({ deleted: ["a"], selection: { runIds: ["b", "d"] }, title: "M: 2 runs" });
    expect(controller.hasRunningRuns).toBe(true);
  });

  it("sends learning curves thinned for drawing", async () => {
    const { controller, last } = setup();
    await controller.handle({ type: "requestCurves", runIds: ["a", "b"] });
    const curves = last("curves")?.curves ?? [];
    expect(curves.map((curve) => curve.runId)).toEqual(["a", "b"]);
    expect(curves[0].points.length).toBeLessThanOrEqual(300);
    expect(curves[0].points[0]).toEqual({ step: 0, name: "loss", value: 1 });
  });

  it("sends a run's search trials", async () => {
    const { controller, last } = setup();
    await controller.handle({ type: "requestTrials", runId: "b" });
    expect(last("trials")).toMatchObject({ runId: "b", trials: [{ params: { runId: "b" } }] });
  });

  it("saves the CSV the page built and says where", async () => {
    const { controller, host, last } = setup();
    await controller.handle({ type: "exportCsv", csv: "a,b\r\n", fileName: "x.csv" });
    expect(host.saveCsv).toHaveBeenCalledWith("a,b\r\n", "x.csv");
    expect(last("notice")).toEqual({ type: "notice", level: "info", text: "Saved the table to /w/out.csv." });
  });

  it("says nothing when the save dialog is cancelled", async () => {
    const { controller, posted } = setup({ host: { saveCsv: async () => undefined } });
    await controller.handle({ type: "exportCsv", csv: "", fileName: "x.csv" });
    expect(posted).toEqual([]);
  });

  it("runs an action through the host and shows its result, e.g. a refused checkout", async () => {
    const refusal = { notice: { level: "error" as const, text: "Cannot check out run a: the working tree has uncommitted changes (x.ts)." } };
    const { controller, host, last } = setup({ host: { runAction: vi.fn(async () => refusal) } });
    await controller.handle({ type: "runAction", action: "checkout", runId: "a" });
    expect(host.runAction).toHaveBeenCalledWith("checkout", "a");
    expect(last("notice")).toEqual({ type: "notice", ...refusal.notice });
  });

  it("adds a reproduction's run to the comparison", async () => {
    const { controller, last, setRuns } = setup({ host: { runAction: async () => ({ notice: { level: "info", text: "Reproduced" }, compareAlso: ["r2"] }) } });
    setRuns([makeRun({ run_id: "a" }), makeRun({ run_id: "b" }), makeRun({ run_id: "r2", reproduced_from: "a" })]);
    await controller.handle({ type: "runAction", action: "reproduce", runId: "a" });
    expect(last("runs")?.selection.runIds).toEqual(["a", "b", "r2"]);
    expect(last("notice")?.text).toBe("Reproduced");
  });

  it("turns a failing handler into an error notice rather than an unhandled rejection", async () => {
    const { controller, source, last } = setup();
    vi.mocked(source.trials).mockRejectedValueOnce(new Error("database is corrupted"));
    await controller.handle({ type: "requestTrials", runId: "a" });
    expect(last("notice")).toEqual({ type: "notice", level: "error", text: "database is corrupted" });
  });

  it("runs overlapping refreshes one after the other, once more at most", async () => {
    const { controller, source } = setup();
    await Promise.all([controller.refresh(), controller.refresh(), controller.refresh(), controller.refresh()]);
    expect(source.list).toHaveBeenCalledTimes(2);
  });

  it("posts nothing once disposed", async () => {
    const { controller, posted } = setup();
    controller.dispose();
    await controller.refresh();
    expect(posted).toEqual([]);
    expect(controller.isDisposed).toBe(true);
  });
});
