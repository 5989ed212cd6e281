import { describe, expect, it } from "vitest";
import { DEFAULT_VIEW, restorePanelState, restoreView } from "../../../webview/compare/viewState";

describe("restoreView", () => {
  it("gives the defaults for nothing", () => {
    expect(restoreView(undefined)).toEqual(DEFAULT_VIEW);
    expect(restoreView(null)).toEqual(DEFAULT_VIEW);
    expect(restoreView("garbage")).toEqual(DEFAULT_VIEW);
  });

  it("keeps every valid field", () => {
    const saved = {
      metric: "log_loss",
      differencesOnly: true,
      sort: { column: "params.lr", direction: "descending" },
      filter: "lr>0.01",
      chart: "scatter",
      scatterField: "params.lr",
      curveName: "val_loss",
      curveRuns: 0,
      selectedRunId: "r1",
      whatChangedOpen: true,
      diffBaseRunId: "r2",
    };
    expect(restoreView(saved)).toEqual(saved);
  });

  it("replaces invalid fields by their defaults, field by field", () => {
    const restored = restoreView({ metric: 3, differencesOnly: "yes", sort: { column: "x", direction: "up" }, chart: "pie", curveRuns: -1, filter: "ok", whatChangedOpen: "yes", diffBaseRunId: 7 });
    expect(restored).toEqual({ ...DEFAULT_VIEW, filter: "ok" });
  });

  it("accepts a null sort (rank order)", () => {
    expect(restoreView({ sort: null }).sort).toBeNull();
  });
});

describe("restorePanelState", () => {
  it("restores the selection and the view", () => {
    const state = restorePanelState({ selection: { runIds: ["a"], followModel: "M", removed: [] }, view: { metric: "f1" } });
    expect(state.selection).toEqual({ runIds: ["a"], followModel: "M", removed: [] });
    expect(state.view.metric).toBe("f1");
  });

  it("falls back to an empty selection", () => {
    expect(restorePanelState({ selection: { runIds: [1] } }).selection).toEqual({ runIds: [] });
    expect(restorePanelState(undefined)).toEqual({ selection: { runIds: [] }, view: DEFAULT_VIEW });
  });
});
