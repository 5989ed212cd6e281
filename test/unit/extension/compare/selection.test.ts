import { describe, expect, it } from "vitest";
import { addToSelection, removeFromSelection, resolveSelection, selectionOfModel, selectionOfRuns, selectionTitle } from "../../../../src/extension/compare/selection";
import { makeRun } from "../../../helpers/runs";

const runs = [
  makeRun({ run_id: "a", model_class: "M", details: { features: ["x"] } }),
  makeRun({ run_id: "b", model_class: "N" }),
  makeRun({ run_id: "c", model_class: "M" }),
];

describe("resolveSelection", () => {
  it("returns the selected runs in the selection's order, without their details", () => {
    const resolved = resolveSelection(selectionOfRuns(["c", "a"]), runs);
    expect(resolved.runs.map((run) => run.run_id)).toEqual(["c", "a"]);
    expect(resolved.runs[1].details).toEqual({});
    expect(resolved.deleted).toEqual([]);
  });

  it("drops and reports runs that were deleted", () => {
    const resolved = resolveSelection(selectionOfRuns(["a", "gone"]), runs);
    expect(resolved.selection.runIds).toEqual(["a"]);
    expect(resolved.deleted).toEqual(["gone"]);
  });

  it("follows a model: every run of it, new ones included, minus the removed", () => {
    const first = resolveSelection(selectionOfModel("M"), runs);
    expect(first.selection).toEqual({ runIds: ["a", "c"], followModel: "M", removed: [] });
    const later = resolveSelection(removeFromSelection(first.selection, ["a"]), [...runs, makeRun({ run_id: "d", model_class: "M" })]);
    expect(later.selection.runIds).toEqual(["c", "d"]);
    expect(later.selection.removed).toEqual(["a"]);
  });

  it("forgets removed runs once they are deleted", () => {
    const resolved = resolveSelection({ runIds: ["c"], followModel: "M", removed: ["a", "zzz"] }, runs);
    expect(resolved.selection.removed).toEqual(["a"]);
  });
});

describe("selection changes", () => {
  it("builds selections without duplicates", () => {
    expect(selectionOfRuns(["a", "a", "b"])).toEqual({ runIds: ["a", "b"] });
    expect(addToSelection({ runIds: ["a"] }, ["b", "a"])).toEqual({ runIds: ["a", "b"] });
  });

  it("adding a removed run of a followed model takes it out of the removed list", () => {
    expect(addToSelection({ runIds: [], followModel: "M", removed: ["a"] }, ["a"])).toEqual({ runIds: ["a"], followModel: "M", removed: [] });
  });

  it("remembers removals only when following a model", () => {
    expect(removeFromSelection({ runIds: ["a", "b"] }, ["a"])).toEqual({ runIds: ["b"] });
    expect(removeFromSelection({ runIds: ["a", "b"], followModel: "M", removed: [] }, ["a", "x"])).toEqual({ runIds: ["b"], followModel: "M", removed: ["a"] });
  });

  it("titles what is compared", () => {
    expect(selectionTitle({ runIds: [] }, 1)).toBe("1 run");
    expect(selectionTitle({ runIds: [] }, 12)).toBe("12 runs");
    expect(selectionTitle({ runIds: [], followModel: "LogisticRegression" }, 3)).toBe("LogisticRegression: 3 runs");
  });
});
