import { describe, expect, it } from "vitest";
import {
  escapeCell,
  groupChildren,
  groupDescription,
  nodeId,
  pendingLabel,
  pendingNodes,
  runContextValue,
  runDescription,
  runLabel,
  runsRoot,
  runTooltipMarkdown,
  sortNewestFirst,
  STATUS_ICONS,
} from "../../../src/extension/runs/runTree";
import { makeRun } from "../../helpers/runs";

const older = makeRun({ run_id: "20261126-060000-aaaaaaaa", start_time: "2026-11-26T06:00:00.000Z", model_class: "B", metrics: { accuracy: 0.7 } });
const newer = makeRun({ run_id: "20261126-070000-bbbbbbbb", start_time: "2026-11-26T07:00:00.000Z", model_class: "A", metrics: { accuracy: 0.9 } });
const newest = makeRun({ run_id: "20261126-080000-cccccccc", start_time: "2026-11-26T08:00:00.000Z", model_class: "B", metrics: { accuracy: 0.8 } });

describe("Runs view nodes", () => {
  it("lists runs newest first, breaking start-time ties by id", () => {
    const tieA = makeRun({ run_id: "20261126-080000-00000001", start_time: newest.start_time });
    const ids = sortNewestFirst([older, tieA, newest, newer]).map((r) => r.run_id);
    expect(ids).toEqual([newest.run_id, tieA.run_id, newer.run_id, older.run_id]);
  });

  it("is a flat list by default", () => {
    const nodes = runsRoot([older, newest, newer], { groupByModel: false });
    expect(nodes.map((n) => (n.kind === "run" ? n.run.run_id : n.kind === "group" ? n.model : ""))).toEqual([newest.run_id, newer.run_id, older.run_id]);
  });

  it("groups by model, groups sorted by name, runs newest first inside", () => {
    const nodes = runsRoot([older, newest, newer], { groupByModel: true });
    expect(nodes.map((n) => n.kind === "group" && n.model)).toEqual(["A", "B"]);
    const b = nodes[1];
    if (b.kind !== "group") throw new Error("expected a group");
    expect(groupChildren(b).map((n) => n.kind === "run" && n.run.run_id)).toEqual([newest.run_id, older.run_id]);
    expect(groupDescription(b, {})).toBe("2 runs · best accuracy 0.8");
    expect(nodeId(b)).toBe("group:B");
    expect(nodeId(groupChildren(b)[0])).toBe(`run:${newest.run_id}`);
  });

  it("describes a group by run count alone when no run has the metric", () => {
    const failed = makeRun({ status: "failed", metrics: {} });
    expect(groupDescription({ kind: "group", model: "M", runs: [failed] }, {})).toBe("1 run");
  });

  it("puts the start time and the run id in the description, with the date when it is not today", () => {
    const run = makeRun({ run_id: "20261126-064411-e3670358", start_time: "2026-11-26T06:44:11.000Z" });
    const local = new Date("2026-11-26T06:44:11.000Z");
    const hhmm = `${String(local.getHours()).padStart(2, "0")}:${String(local.getMinutes()).padStart(2, "0")}`;
    expect(runDescription(run, new Date(local.getTime() + 60_000))).toBe(`${hhmm} · 20261126-064411-e3670358`);
    expect(runDescription(run, new Date(local.getTime() + 3 * 86_400_000))).toMatch(new RegExp(`^2026-11-2\\d ${hhmm} · 20261126-064411-e3670358$`));
  });

  it("shows a training that has no recorded run yet, newest first, with its phase", () => {
    const nodes = pendingNodes([
      { id: 1, model: "ModelImpl1", state: "running" },
      { id: 2, model: "LogisticRegression", state: "queued" },
    ]);
    expect(nodes.map((node) => nodeId(node))).toEqual(["pending:2", "pending:1"]);
    expect(pendingLabel({ id: 1, model: "ModelImpl1", state: "running" })).toBe("ModelImpl1 · starting…");
    expect(pendingLabel({ id: 2, model: "ModelImpl1", state: "queued" })).toBe("ModelImpl1 · queued");
    expect(pendingLabel({ id: 3, model: "ModelImpl1", state: "running", progress: { phase: "load", message: "Loading" } })).toBe("ModelImpl1 · loading data");
  });

  it("shows the model and the run's metric, or the chosen one", () => {
    expect(runLabel(newer, {})).toBe("A · accuracy 0.9");
    expect(runLabel(makeRun(), { metric: "f1" })).toBe("ModelImpl1 · f1 0.75");
    expect(runLabel(newer, { metric: "rmse" })).toBe("A · rmse —");
  });

  it("shows a running run's latest progress, and other statuses by name", () => {
    const running = makeRun({ status: "running", metrics: {} });
    expect(runLabel(running, {})).toBe("ModelImpl1 · running");
    expect(runLabel(running, {}, { phase: "fit", message: "Epoch 7", epoch: 7, metrics: { loss: 0.123456 } })).toBe("ModelImpl1 · epoch 7 · loss 0.1235");
    expect(runLabel(running, {}, { phase: "search", message: "Trial 2/6", trial: 2, trials: 6 })).toBe("ModelImpl1 · trial 2/6");
    expect(runLabel(running, {}, { phase: "load", message: "Loading" })).toBe("ModelImpl1 · loading data");
    expect(runLabel(makeRun({ status: "cancelled" }), {})).toBe("ModelImpl1 · cancelled");
    expect(runLabel(makeRun({ status: "crashed" }), {})).toBe("ModelImpl1 · crashed");
  });

  it("mentions a reproduction's verdict", () => {
    const reproduction = makeRun({ reproduced_from: "x", reproduction: { verdict: "within_tolerance" } });
    expect(runLabel(reproduction, {})).toBe("ModelImpl1 · accuracy 0.8125 · reproduction within tolerance");
  });

  it("has a spinning icon for running runs and one icon per status", () => {
    expect(STATUS_ICONS.running.icon).toBe("sync~spin");
    expect(new Set(Object.values(STATUS_ICONS).map((i) => i.icon)).size).toBe(5);
  });

  it("builds context values that menus can match", () => {
    expect(runContextValue(makeRun(), false)).toBe("run:finished:reproducible");
    expect(runContextValue(makeRun({ status: "running" }), true)).toBe("run:running:ownTraining");
    expect(runContextValue(makeRun({ status: "failed" }), false)).toBe("run:failed");
  });

  it("puts the model_runs fields in the tooltip, escaping Markdown", () => {
    const run = makeRun({ model_class: "My|Model", error: "bad *input*\nline 2", backend: "wasm", reproduced_from: "20261126-000000-00000000", dirty: true });
    const tooltip = runTooltipMarkdown(run);
    for (const field of ["run_id", "model_class", "hyperparameters", "githash", "feature_generator_class", "dataset_class", "metrics", "artifacts", "start_time", "end_time", "seed", "backend", "reproduced_from", "error"]) {
      expect(tooltip).toContain(`\`${field}\``);
    }
    expect(tooltip).toContain("My\\|Model");
    expect(tooltip).toContain("bad \\*input\\* line 2");
    expect(tooltip).toContain("snapshot of a dirty working tree");
    expect(tooltip).toContain("accuracy 0.8125, f1 0.75");
    expect(tooltip).toContain("(2.5 s)");
  });

  it("says when a run has no githash or no end yet", () => {
    const tooltip = runTooltipMarkdown(makeRun({ githash: null, end_time: null, status: "running" }));
    expect(tooltip).toContain("not in a git repository");
    expect(tooltip).toMatch(/`end_time` \| — \|/);
  });

  it("escapes every character that would break a table cell", () => {
    expect(escapeCell("a|b`c*d_e[f]<g>\\h\r\ni")).toBe("a\\|b\\`c\\*d\\_e\\[f\\]\\<g\\>\\\\h i");
  });
});
