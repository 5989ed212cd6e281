import { describe, expect, it, vi } from "vitest";
import { findClassDeclaration, rankCandidateFiles } from "../../../src/extension/components/classLocator";
import { earlierRunsOfModel, modelOfArg, runIdsFromArgs } from "../../../src/extension/runs/runArgs";
import { percentDone, progressText } from "../../../src/extension/training/progressText";
import { Debouncer } from "../../../src/extension/util/debounce";
import { Emitter } from "../../../src/extension/util/emitter";
import { count, formatDuration, formatNumber, formatTimestamp } from "../../../src/extension/util/format";
import { affectsComponents, chooseMlexpFolder, otherWorkspaceProblem } from "../../../src/extension/workspace/workspaceFolder";
import { makeRun } from "../../helpers/runs";

describe("run command arguments", () => {
  const run = makeRun({ run_id: "20261126-000000-00000001" });
  const other = makeRun({ run_id: "20261126-000000-00000002" });
  it("takes a tree node, the multi-selection, a run id, { runId } or { runIds }", () => {
    expect(runIdsFromArgs({ kind: "run", run })).toEqual([run.run_id]);
    expect(runIdsFromArgs({ kind: "run", run }, [{ kind: "run", run }, { kind: "run", run: other }])).toEqual([run.run_id, other.run_id]);
    expect(runIdsFromArgs("abc")).toEqual(["abc"]);
    expect(runIdsFromArgs({ runId: "x" })).toEqual(["x"]);
    expect(runIdsFromArgs({ runIds: ["x", "y", 3] })).toEqual(["x", "y"]);
    expect(runIdsFromArgs({ kind: "group", model: "M", runs: [run, other] })).toEqual([run.run_id, other.run_id]);
  });
  it("takes { model } (the runs CodeLens) as every known run of that model, whatever its status", () => {
    const failed = makeRun({ run_id: "20261126-000000-00000003", status: "failed" });
    const otherModel = makeRun({ run_id: "20261126-000000-00000004", model_class: "LogisticRegression" });
    const known = [run, otherModel, failed, other];
    expect(runIdsFromArgs({ model: "ModelImpl1", workspace: "/w" }, undefined, known)).toEqual([run.run_id, failed.run_id, other.run_id]);
    expect(runIdsFromArgs({ model: "LogisticRegression" }, [], known)).toEqual([otherModel.run_id]);
    expect(runIdsFromArgs({ model: "NoSuchModel" }, undefined, known)).toEqual([]);
    // Without the runs to look in, nothing is known yet.
    expect(runIdsFromArgs({ model: "ModelImpl1" })).toEqual([]);
    expect(modelOfArg({ model: "ModelImpl1", workspace: "/w" })).toBe("ModelImpl1");
    // A Runs view group node names its model too, but carries its runs.
    expect(modelOfArg({ kind: "group", model: "M", runs: [] })).toBeUndefined();
    expect(modelOfArg({ model: "" })).toBeUndefined();
    expect(modelOfArg("ModelImpl1")).toBeUndefined();
  });
  it("gives nothing (ask the user) for no or unknown arguments, and removes duplicates", () => {
    expect(runIdsFromArgs(undefined)).toEqual([]);
    expect(runIdsFromArgs("")).toEqual([]);
    expect(runIdsFromArgs({ kind: "component" })).toEqual([]);
    expect(runIdsFromArgs(undefined, [])).toEqual([]);
    expect(runIdsFromArgs("a", ["a", "a", "b"])).toEqual(["a", "b"]);
  });
  it('finds the earlier runs of a finished run\'s model for "Compare with previous runs", newest first', () => {
    const at = (id: string, hour: number, model = "ModelImpl1") => makeRun({ run_id: id, model_class: model, start_time: `2026-11-26T0${hour}:00:00.000Z` });
    const finished = at("new", 5);
    const known = [at("first", 1), at("other-model", 2, "LogisticRegression"), at("second", 3), finished, at("later", 6)];
    expect(earlierRunsOfModel(known, finished)).toEqual(["second", "first"]);
    expect(earlierRunsOfModel([finished], finished)).toEqual([]);
  });
});

describe("findClassDeclaration", () => {
  const source = ["// class ModelImpl1 in a comment", 'const s = "class ModelImpl1";', "export class ModelImpl10 {}", "export default class ModelImpl1 extends Model {", "}"].join("\n");
  it("finds the declaration, not comments, strings or longer names", () => {
    expect(findClassDeclaration(source, "ModelImpl1")).toEqual({ line: 3, character: 21 });
    expect(findClassDeclaration(source, "ModelImpl10")).toEqual({ line: 2, character: 13 });
    expect(findClassDeclaration("abstract class Base {}", "Base")).toEqual({ line: 0, character: 15 });
    expect(findClassDeclaration(source, "Missing")).toBeUndefined();
  });
  it("searches files named like the class first", () => {
    expect(rankCandidateFiles(["/w/src/a.ts", "/w/src/modelImpl1.ts", "/w/mlexp.config.ts", "/w/src/models/modelImpl1Helpers.ts"], "ModelImpl1")).toEqual([
      "/w/src/modelImpl1.ts",
      "/w/src/models/modelImpl1Helpers.ts",
      "/w/mlexp.config.ts",
      "/w/src/a.ts",
    ]);
  });
});

describe("workspace folder", () => {
  it("prefers the first folder with a config, else the first folder", () => {
    expect(chooseMlexpFolder(["/a", "/b", "/c"], (f) => f !== "/a")).toBe("/b");
    expect(chooseMlexpFolder(["/a", "/b"], () => false)).toBe("/a");
    expect(chooseMlexpFolder([], () => true)).toBeUndefined();
  });
  it("reacts to source files and the config, not to dependencies or the store", () => {
    expect(affectsComponents("mlexp.config.ts")).toBe(true);
    expect(affectsComponents("src/models/net.ts")).toBe(true);
    expect(affectsComponents("package.json")).toBe(true);
    expect(affectsComponents("node_modules/x/index.js")).toBe(false);
    expect(affectsComponents(".mlexp/runs/x/run.json")).toBe(false);
    expect(affectsComponents("dist/cli.js")).toBe(false);
    expect(affectsComponents("data/customers.csv")).toBe(false);
    expect(affectsComponents("src\\win\\model.ts")).toBe(true);
  });
  it("accepts a CodeLens's workspace only when it is this window's folder", () => {
    expect(otherWorkspaceProblem({ model: "M", workspace: "/w" }, "/w", "train its components")).toBeUndefined();
    expect(otherWorkspaceProblem({ model: "M", workspace: "/w/" }, "/w", "train its components")).toBeUndefined();
    expect(otherWorkspaceProblem({ model: "M" }, "/w", "train its components")).toBeUndefined();
    expect(otherWorkspaceProblem("M", "/w", "train its components")).toBeUndefined();
    expect(otherWorkspaceProblem({ model: "M", workspace: "/w/packages/ml" }, "/w", "compare its runs")).toBe(
      "/w/packages/ml is another mlexp workspace than the one this window works in (/w): open it as a folder to compare its runs.",
    );
  });
});

describe("progress text", () => {
  it("names the phase, then the library's message, then the figures", () => {
    expect(progressText({ phase: "fit", message: "Epoch 12", epoch: 12, metrics: { loss: 0.41234, acc: 0.9 } })).toBe("Fitting · Epoch 12 · loss 0.4123, acc 0.9");
    expect(progressText({ phase: "load", message: "Loading data" })).toBe("Loading data");
  });
  it("has a percentage only for a search", () => {
    expect(percentDone({ phase: "fit", message: "" })).toBeUndefined();
    expect(percentDone({ phase: "search", message: "", trial: 1, trials: 4 })).toBe(0);
    expect(percentDone({ phase: "search", message: "", trial: 3, trials: 4, fold: 2, folds: 2 })).toBe(63);
    expect(percentDone({ phase: "search", message: "", trial: 5, trials: 4 })).toBe(100);
  });
  it("shows a distributed search's trials done and its workers", () => {
    const progress = { phase: "search" as const, message: "Trial 2: accuracy 0.9100 on b/7", trial: 3, trials: 12, workers: ["a/1", "b/7"] };
    expect(progressText(progress)).toBe("Searching hyperparameters · 3/12 trials on 2 workers · Trial 2: accuracy 0.9100 on b/7");
    expect(percentDone(progress)).toBe(25);
  });
});

describe("formatting", () => {
  it("formats numbers for a sidebar", () => {
    expect([formatNumber(0.812345), formatNumber(42), formatNumber(null), formatNumber(1e-7), formatNumber(123456789.5), formatNumber(Number.NaN)]).toEqual([
      "0.8123",
      "42",
      "—",
      "1e-7",
      "1.235e8",
      "NaN",
    ]);
  });
  it("formats durations, timestamps and counts", () => {
    expect([formatDuration(2400), formatDuration(15_000), formatDuration(185_000), formatDuration(3_720_000), formatDuration(-1)]).toEqual(["2.4 s", "15 s", "3 min 05 s", "1 h 02 min", "—"]);
    expect(formatTimestamp("not a date")).toBe("not a date");
    expect(formatTimestamp(null)).toBe("—");
    expect(formatTimestamp("2026-11-26T06:48:01.000Z")).toMatch(/^2026-11-2\d \d\d:48:01$/);
    expect([count(1, "run"), count(2, "run"), count(0, "entry", "entries")]).toEqual(["1 run", "2 runs", "0 entries"]);
  });
});

describe("Emitter and Debouncer", () => {
  it("delivers to listeners until they are disposed", () => {
    const emitter = new Emitter<number>();
    const seen: number[] = [];
    const subscription = emitter.event((n) => seen.push(n));
    emitter.fire(1);
    subscription.dispose();
    emitter.fire(2);
    expect(seen).toEqual([1]);
  });
  it("calls once after a burst, and flush runs a pending call now", () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const debouncer = new Debouncer(fn, 100);
    debouncer.trigger();
    vi.advanceTimersByTime(50);
    debouncer.trigger();
    vi.advanceTimersByTime(99);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    debouncer.trigger();
    expect(debouncer.pending).toBe(true);
    debouncer.flush();
    expect(fn).toHaveBeenCalledTimes(2);
    debouncer.trigger();
    debouncer.dispose();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
  });
});
