import { describe, expect, it } from "vitest";
import { parseNameStatus, parseNumstat } from "../../../../src/core/diff/code/gitChanges";
import { columnShifts } from "../../../../src/core/diff/data/shifts";
import { diffEnvironment } from "../../../../src/core/diff/environmentDiff";
import { chosenTrial, diffParameters } from "../../../../src/core/diff/parameters";
import { percent, summarise } from "../../../../src/core/diff/sentence";
import type { CodeDiff, DataDiff, RunEnvironment } from "../../../../src/core/diff/types";
import { makeRun } from "../../../helpers/runs";

const ENV: RunEnvironment = { mlexp: "0.1.0", node: "20.20.2", electron: null, os: "linux", arch: "x64", tfjsBackend: null, lockfile: { path: "package-lock.json", sha256: "a".repeat(64) }, dependencies: { lodash: "4.17.21" } };

describe("git output parsing", () => {
  it("reads -z name-status and numstat, renames and binary files included", () => {
    expect(parseNameStatus("M\0src/a.ts\0R087\0old.ts\0new.ts\0A\0b.png\0D\0gone.ts\0")).toEqual([
      { status: "modified", path: "src/a.ts" },
      { status: "renamed", oldPath: "old.ts", path: "new.ts" },
      { status: "added", path: "b.png" },
      { status: "removed", path: "gone.ts" },
    ]);
    const counts = parseNumstat("12\t3\tsrc/a.ts\0" + "1\t1\t\0old.ts\0new.ts\0" + "-\t-\tb.png\0");
    expect(Object.fromEntries(counts)).toEqual({ "src/a.ts": { added: 12, removed: 3 }, "new.ts": { added: 1, removed: 1 }, "b.png": { added: null, removed: null } });
  });
});

describe("parameters", () => {
  it("compares the values used, the given ones, the settings and the chosen trial", () => {
    const a = makeRun({ hyperparameters: { lr: 0.1, epochs: 10 }, model_params: { lr: [0.1, 0.2] } });
    const b = makeRun({ hyperparameters: { lr: 0.2, epochs: 10 }, model_params: { lr: [0.1, 0.2] }, seed: 7, search: { strategy: "random", trials: 2, cv: 3 } });
    const trials = { a: [{ trial: 0, params: { lr: 0.1 }, score: 0.9, fold_scores: [] }, { trial: 1, params: { lr: 0.2 }, score: 0.8, fold_scores: [] }], b: [{ trial: 0, params: { lr: 0.1 }, score: 0.7, fold_scores: [] }, { trial: 1, params: { lr: 0.2 }, score: 0.85, fold_scores: [] }] };
    const diff = diffParameters(a, b, trials);
    expect(diff.model).toEqual([{ name: "lr", a: 0.1, b: 0.2 }]);
    expect(diff.modelGiven).toEqual([]);
    expect(diff.settings.map((s) => s.name)).toEqual(["search.cv", "search.strategy", "search.trials", "seed"]);
    expect(diff.chosenTrial).toEqual({ a: { trial: 0, of: 2, score: 0.9 }, b: { trial: 1, of: 2, score: 0.85 } });
    expect(chosenTrial(makeRun({ metric: "rmse" }), trials.a)).toEqual({ trial: 1, of: 2, score: 0.8 });
    expect(diffParameters(a, a).status).toBe("identical");
  });
});

describe("environment", () => {
  it("compares versions and dependencies, and old runs without a recorded environment on what every run has", () => {
    const a = makeRun({ details: { environment: ENV as never } });
    const b = makeRun({ details: { environment: { ...ENV, node: "22.1.0", dependencies: { lodash: "4.17.20", zod: "3.0.0" } } as never } });
    const diff = diffEnvironment(a, b);
    expect(diff).toMatchObject({ status: "changed", fields: [{ name: "node", a: "20.20.2", b: "22.1.0" }], dependencies: [{ name: "lodash", a: "4.17.21", b: "4.17.20" }, { name: "zod", a: undefined, b: "3.0.0" }] });
    const old = makeRun({ run_id: "20250101-000000-00000000", details: { node: "v20.20.2", platform: "linux-x64" } });
    const partial = diffEnvironment(old, a);
    expect(partial.status).toBe("identical");
    expect(partial.partial).toContain("20250101-000000-00000000 recorded no environment");
    expect(diffEnvironment(old, makeRun({ details: { environment: { ...ENV, os: "darwin" } as never } }))).toMatchObject({ status: "changed", fields: [{ name: "os", a: "linux", b: "darwin" }] });
  });
});

describe("the summary sentence", () => {
  const code: CodeDiff = { status: "changed", commitA: "a".repeat(40), commitB: "b".repeat(40), files: [{ path: "src/model.ts", status: "modified", added: 12, removed: 3 }], added: 12, removed: 3, components: [] };
  const data = { status: "changed", rowsA: 1000, rowsB: 1030, rowsAdded: 30, rowsRemoved: 0, rowsChanged: 0, columnsAdded: [], columnsRemoved: [], columnsRetyped: [], targetA: "y", targetB: "y" } as unknown as DataDiff;

  it("reads like the issue's example", () => {
    const parameters = diffParameters(makeRun({ hyperparameters: { a: 1, b: 2 } }), makeRun({ hyperparameters: { a: 2, b: 3 } }));
    const sentence = summarise({ code, data, parameters, environment: { status: "identical" }, metric: { name: "accuracy", a: 0.9, b: 0.912, difference: 0.912 - 0.9 } });
    expect(sentence).toBe("B differs from A in 2 model parameters, 1 file (src/model.ts +12 −3) and 3% more rows; accuracy +0.012");
  });

  it("says when nothing differs and what could not be compared", () => {
    const same = diffParameters(makeRun(), makeRun());
    expect(summarise({ code: { status: "identical", commit: "a".repeat(40), components: [] }, data: { status: "identical", hash: "h", rows: 1 }, parameters: same, environment: { status: "identical" }, metric: null })).toBe(
      "B does not differ from A in code, data, parameters or environment",
    );
    expect(summarise({ code: { status: "unknown", reason: "x" }, data, parameters: same, environment: { status: "identical" }, metric: null })).toBe("B differs from A in 3% more rows (its code could not be compared)");
    expect(percent(0.004)).toBe("0.4%");
    expect(percent(0.25)).toBe("25%");
  });
});

describe("column shifts", () => {
  it("reports only the figures that moved", () => {
    const a = { rows: 3, target: "y", columns: [{ name: "x", kind: "number" as const, count: 3, missing: 0, mean: 1, std: 0.5 }, { name: "c", kind: "string" as const, count: 3, missing: 0, categories: 2 }, { name: "same", kind: "number" as const, count: 3, missing: 0, mean: 1, std: 1 }] };
    const b = { rows: 4, target: "y", columns: [{ name: "x", kind: "number" as const, count: 3, missing: 1, mean: 2, std: 0.5 }, { name: "c", kind: "string" as const, count: 4, missing: 0, categories: 3 }, { name: "same", kind: "number" as const, count: 4, missing: 0, mean: 1 + 1e-16, std: 1 }] };
    expect(columnShifts(a, b)).toEqual([
      { name: "x", kind: "number", mean: [1, 2], missing: [0, 1] },
      { name: "c", kind: "string", categories: [2, 3] },
    ]);
  });
});
