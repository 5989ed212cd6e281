import { describe, expect, it } from "vitest";
import { buildColumns, cellText, cellTitle, columnLabel, localTime, RANK_COLUMN, tableOrder } from "../../../webview/compare/table/columns";

describe("columnLabel", () => {
  it("names fixed fields and splits prefixed ones into label and kind", () => {
    expect(columnLabel("model_class")).toEqual({ label: "Model", kind: "" });
    expect(columnLabel("params.learningRate")).toEqual({ label: "learningRate", kind: "param" });
    expect(columnLabel("metrics.accuracy")).toEqual({ label: "accuracy", kind: "metric" });
    expect(columnLabel("dataset.path")).toEqual({ label: "path", kind: "data" });
    expect(columnLabel("features.k")).toEqual({ label: "k", kind: "feature" });
    expect(columnLabel("custom")).toEqual({ label: "custom", kind: "" });
  });
});

describe("tableOrder", () => {
  it("orders as a run is read: model and parameters, features, dataset, code, run facts, metrics", () => {
    const fields = ["run_id", "status", "seed", "start_time", "duration_s", "model_class", "params.lr", "feature_generator_class", "dataset_class", "dataset.path", "githash", "metrics.f1"];
    expect(tableOrder(fields)).toEqual(["model_class", "params.lr", "feature_generator_class", "dataset_class", "dataset.path", "githash", "start_time", "duration_s", "status", "seed", "run_id", "metrics.f1"]);
  });
});

describe("buildColumns", () => {
  const rows = [{ run_id: "r1", model_class: "M", "params.lr": 0.1, "metrics.accuracy": 0.9, "metrics.f1": 0.8, githash: "abc", dirty: true, status: "finished" }];
  const fields = Object.keys(rows[0]);

  it("puts rank, run and the chosen metric first, folds dirty into the code column", () => {
    const keys = buildColumns(fields, "f1", rows).map((column) => column.key);
    expect(keys.slice(0, 3)).toEqual([RANK_COLUMN, "run_id", "metrics.f1"]);
    expect(keys).not.toContain("dirty");
    expect(keys.indexOf("model_class")).toBeLessThan(keys.indexOf("githash"));
    expect(keys.at(-1)).toBe("metrics.accuracy");
  });

  it("has no metric column when the metric is not among the fields", () => {
    expect(buildColumns(["run_id"], "accuracy", [{ run_id: "x" }]).map((c) => c.key)).toEqual([RANK_COLUMN, "run_id"]);
  });

  it("marks numeric columns and sizes columns within bounds", () => {
    const columns = buildColumns(fields, "f1", rows);
    const lr = columns.find((c) => c.key === "params.lr");
    expect(lr?.numeric).toBe(true);
    expect(columns.find((c) => c.key === "model_class")?.numeric).toBe(false);
    for (const column of columns) {
      expect(column.width).toBeGreaterThanOrEqual(56);
      expect(column.width).toBeLessThanOrEqual(280);
    }
    const long = buildColumns(["dataset.path"], null, [{ "dataset.path": "x".repeat(500) }]).find((c) => c.key === "dataset.path");
    expect(long?.width).toBe(280);
  });
});

describe("cellText", () => {
  it("shows rank with a star for the best and a dash when unranked", () => {
    expect(cellText(RANK_COLUMN, {}, { rank: 1, best: true })).toBe("★ 1");
    expect(cellText(RANK_COLUMN, {}, { rank: 3, best: false })).toBe("3");
    expect(cellText(RANK_COLUMN, {}, { rank: null, best: false })).toBe("—");
  });

  it("shortens hashes, marks a dirty working tree, formats durations and numbers", () => {
    expect(cellText("githash", { githash: "0123456789abcdef", dirty: true })).toBe("01234567 ●");
    expect(cellText("githash", { githash: "0123456789abcdef", dirty: false })).toBe("01234567");
    expect(cellText("dataset_hash", { dataset_hash: "abcdefabcdefabcdef" })).toBe("abcdefabcd");
    expect(cellText("duration_s", { duration_s: 200 })).toBe("3 min 20 s");
    expect(cellText("params.lr", { "params.lr": 0.0001 })).toBe("1e-4");
    expect(cellText("params.lr", {})).toBe("");
    expect(cellText("params.lr", { "params.lr": null })).toBe("");
  });

  it("shows start times in local time", () => {
    const text = cellText("start_time", { start_time: "2026-11-26T07:00:05.000Z" });
    expect(text).toMatch(/^2026-11-2\d \d\d:\d\d:05$/);
    expect(localTime("not a date")).toBe("not a date");
  });
});

describe("cellTitle", () => {
  it("gives the full value, and says what the dirty marker means", () => {
    expect(cellTitle("githash", { githash: "0123456789abcdef", dirty: true })).toContain("uncommitted changes");
    expect(cellTitle("githash", { githash: "0123", dirty: false })).toBe("0123");
    expect(cellTitle("params.lr", { "params.lr": 0.00012345 })).toBe("0.00012345");
    expect(cellTitle("x", {})).toBe("");
  });
});
