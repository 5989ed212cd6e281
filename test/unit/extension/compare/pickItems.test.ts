import { describe, expect, it } from "vitest";
import { runPickItems } from "../../../../src/extension/compare/pickItems";
import { makeRun } from "../../../helpers/runs";

describe("runPickItems", () => {
  it("lists the runs not compared yet, newest first, with their own metric", () => {
    const runs = [
      makeRun({ run_id: "old", start_time: "2026-11-01T00:00:00.000Z", metric: "accuracy", metrics: { accuracy: 0.81234 } }),
      makeRun({ run_id: "new", start_time: "2026-11-02T00:00:00.000Z", metric: "rmse", metrics: {} }),
      makeRun({ run_id: "compared", start_time: "2026-11-03T00:00:00.000Z" }),
    ];
    const items = runPickItems(runs, new Set(["compared"]));
    expect(items.map((item) => item.runId)).toEqual(["new", "old"]);
    expect(items[1].description).toBe("ModelImpl1 · accuracy 0.8123");
    expect(items[0].description).toBe("ModelImpl1");
    expect(items[0].detail).toContain("started 2026-11-02 00:00:00");
  });
});
