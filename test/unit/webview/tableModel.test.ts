import { describe, expect, it } from "vitest";
import type { CompareViewState } from "../../../src/protocol/compare";
import { buildCompareData } from "../../../webview/compare/dataset";
import { RANK_COLUMN } from "../../../webview/compare/table/columns";
import { deriveTable, nextSort, rankingOf, sortOf } from "../../../webview/compare/tableModel";
import { DEFAULT_VIEW } from "../../../webview/compare/viewState";
import { makeRun } from "../../helpers/runs";
import { A, B, C, threeRuns } from "./runs";

const view = (patch: Partial<CompareViewState> = {}): CompareViewState => ({ ...DEFAULT_VIEW, ...patch });
const ids = (rows: { runId: string }[]) => rows.map((row) => row.runId);

describe("deriveTable: ranking", () => {
  const data = buildCompareData(threeRuns());

  it("ranks by the runs' own metric by default, best first and marked", () => {
    const model = deriveTable(data, view());
    expect(model.metric).toBe("accuracy");
    expect(model.direction).toBe("max");
    expect(ids(model.rows)).toEqual([B, C, A]);
    expect(model.rows[0].rank).toEqual({ rank: 1, best: true, value: 0.9 });
    expect(model.referenceRunId).toBe(B);
  });

  it("re-ranks when the metric changes, in that metric's direction", () => {
    const model = deriveTable(data, view({ metric: "log_loss" }));
    expect(model.direction).toBe("min");
    expect(ids(model.rows)).toEqual([C, B, A]);
    expect(model.rows[0].rank.best).toBe(true);
    expect(model.columns[2].key).toBe("metrics.log_loss");
  });

  it("puts runs without the metric last, unranked", () => {
    const runs = [...threeRuns(), makeRun({ run_id: "failed", status: "failed", metrics: {} })];
    const model = deriveTable(buildCompareData(runs), view());
    expect(model.rows.at(-1)?.runId).toBe("failed");
    expect(model.rows.at(-1)?.rank.rank).toBeNull();
  });

  it("works without any metric", () => {
    const model = deriveTable(buildCompareData([makeRun({ run_id: "x", metrics: {} }), makeRun({ run_id: "y", metrics: {} })]), view());
    expect(model.metric).toBeNull();
    expect(ids(model.rows)).toEqual(["x", "y"]);
    expect(model.referenceRunId).toBe("x");
  });

  it("reuses the ranking of the same runs and metric", () => {
    expect(rankingOf(data, "accuracy")).toBe(rankingOf(data, "accuracy"));
    expect(rankingOf(data, "accuracy")).not.toBe(rankingOf(data, "log_loss"));
  });
});

describe("deriveTable: differences", () => {
  const data = buildCompareData(threeRuns());

  it("shows every field with a value, or only those that differ", () => {
    const all = deriveTable(data, view()).columns.map((c) => c.key);
    const differing = deriveTable(data, view({ differencesOnly: true })).columns.map((c) => c.key);
    expect(all).toContain("model_class");
    expect(all).toContain("dataset.path");
    expect(all).not.toContain("reproduced_from");
    expect(differing).not.toContain("model_class");
    expect(differing).not.toContain("dataset.path");
    expect(differing).toEqual(expect.arrayContaining([RANK_COLUMN, "run_id", "params.lr", "params.epochs", "githash", "metrics.accuracy", "metrics.log_loss"]));
  });

  it("highlights the cells that differ from the best run, not metrics or identity", () => {
    const model = deriveTable(data, view());
    const byId = new Map(model.rows.map((row) => [row.runId, row]));
    expect([...(byId.get(B)?.differs ?? [])]).toEqual([]);
    expect([...(byId.get(A)?.differs ?? [])]).toEqual(["params.lr"]);
    expect([...(byId.get(C)?.differs ?? [])].sort()).toEqual(["dirty", "params.epochs", "params.lr"]);
  });
});

describe("deriveTable: filter and sort", () => {
  const data = buildCompareData(threeRuns());

  it("filters by text and by field tests and keeps the total", () => {
    const model = deriveTable(data, view({ filter: "lr<0.05" }));
    expect(ids(model.rows)).toEqual([B, C]);
    expect(model.totalRuns).toBe(3);
    expect(ids(deriveTable(data, view({ filter: "cccccccc" })).rows)).toEqual([C]);
    expect(ids(deriveTable(data, view({ filter: "nothing-matches" })).rows)).toEqual([]);
  });

  it("sorts by any column, and by rank reversed", () => {
    expect(ids(deriveTable(data, view({ sort: { column: "params.lr", direction: "ascending" } })).rows)).toEqual([C, B, A]);
    expect(ids(deriveTable(data, view({ sort: { column: "start_time", direction: "descending" } })).rows)).toEqual([C, B, A]);
    expect(ids(deriveTable(data, view({ sort: { column: RANK_COLUMN, direction: "descending" } })).rows)).toEqual([A, C, B]);
  });

  it("keeps every row in rank order for the charts, whatever the filter", () => {
    expect(ids(deriveTable(data, view({ filter: "aaaaaaaa" })).ranked)).toEqual([B, C, A]);
  });
});

describe("nextSort", () => {
  it("sorts a new column ascending, metrics best first, and reverses on a second click", () => {
    expect(nextSort(null, "params.lr")).toEqual({ column: "params.lr", direction: "ascending" });
    expect(nextSort(null, "metrics.accuracy")).toEqual({ column: "metrics.accuracy", direction: "descending" });
    expect(nextSort(null, "metrics.rmse")).toEqual({ column: "metrics.rmse", direction: "ascending" });
    expect(nextSort({ column: "params.lr", direction: "ascending" }, "params.lr")).toEqual({ column: "params.lr", direction: "descending" });
    expect(nextSort({ column: "params.lr", direction: "descending" }, "params.lr")).toEqual({ column: "params.lr", direction: "ascending" });
  });

  it("toggles rank between best first and worst first, and returns to it from any column", () => {
    expect(nextSort(null, RANK_COLUMN)).toEqual({ column: RANK_COLUMN, direction: "descending" });
    expect(nextSort({ column: RANK_COLUMN, direction: "descending" }, RANK_COLUMN)).toBeNull();
    expect(nextSort({ column: "params.lr", direction: "ascending" }, RANK_COLUMN)).toBeNull();
  });
});

describe("sortOf", () => {
  it("reports rank as ascending by default and the sorted column's direction", () => {
    expect(sortOf(null, RANK_COLUMN)).toBe("ascending");
    expect(sortOf(null, "x")).toBe("none");
    expect(sortOf({ column: "x", direction: "descending" }, "x")).toBe("descending");
    expect(sortOf({ column: "x", direction: "descending" }, RANK_COLUMN)).toBe("none");
  });
});
