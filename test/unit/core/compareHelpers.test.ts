import { describe, expect, it } from "vitest";
import { compareRuns } from "../../../src/core/compare/compare";
import { differingCells, sameValue, sharedValues, visibleFields } from "../../../src/shared/compare/differences";
import type { FieldValue } from "../../../src/shared/compare/fields";
import { compileFilter, haystackOf, parseFilter, resolveFieldKeys } from "../../../src/shared/compare/filter";
import { formatDuration, formatFieldValue } from "../../../src/shared/compare/format";
import { compareFieldValues, sortRowIndices } from "../../../src/shared/compare/sort";
import { thinSeries, type Point } from "../../../src/shared/compare/thin";
import { makeRun } from "../../helpers/runs";

describe("formatFieldValue", () => {
  it.each([
    [null, ""],
    [undefined, ""],
    [true, "true"],
    ["LogisticRegression", "LogisticRegression"],
    [42, "42"],
    [-3, "-3"],
    [0, "0"],
    [0.8125, "0.8125"],
    [0.81254321, "0.8125"],
    [0.5, "0.5"],
    [12.5, "12.5"],
    [1234.5678, "1235"],
    [0.0001, "1e-4"],
    [0.00015, "1.5e-4"],
    [2.5e6, "2500000"],
    [12345.678, "12346"],
    [1234567.8, "1.235e6"],
    [NaN, "NaN"],
    [Infinity, "Infinity"],
  ] as [FieldValue | undefined, string][])("%s → %s", (value, text) => {
    expect(formatFieldValue(value)).toBe(text);
  });
});

describe("formatDuration", () => {
  it.each([
    [null, ""],
    [NaN, ""],
    [2.5, "2.5 s"],
    [0.25, "0.25 s"],
    [12.34, "12.3 s"],
    [200, "3 min 20 s"],
    [3900, "1 h 05 min"],
  ] as [number | null, string][])("%s → %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe("compareFieldValues", () => {
  it("orders numbers numerically, text naturally, booleans false first, null last", () => {
    expect(compareFieldValues(2, 10)).toBeLessThan(0);
    expect(compareFieldValues("run2", "run10")).toBeLessThan(0);
    expect(compareFieldValues("abc", "ABD")).toBeLessThan(0);
    expect(compareFieldValues(false, true)).toBeLessThan(0);
    expect(compareFieldValues(null, 1)).toBeGreaterThan(0);
    expect(compareFieldValues(1, null)).toBeLessThan(0);
    expect(compareFieldValues(null, null)).toBe(0);
  });

  it("keeps a mixed column grouped: numbers, then booleans, then text", () => {
    expect(compareFieldValues(5, "a")).toBeLessThan(0);
    expect(compareFieldValues(true, "a")).toBeLessThan(0);
    expect(compareFieldValues("a", 5)).toBeGreaterThan(0);
  });

  it("puts NaN after numbers", () => {
    expect(compareFieldValues(NaN, 1)).toBeGreaterThan(0);
    expect(compareFieldValues(1, NaN)).toBeLessThan(0);
  });
});

describe("sortRowIndices", () => {
  const rows: Record<string, FieldValue>[] = [{ v: 3 }, { v: null }, { v: 1 }, {}, { v: 3 }, { v: NaN }, { v: 2 }];

  it("sorts ascending with missing values last, stably", () => {
    expect(sortRowIndices(rows, "v", "ascending")).toEqual([2, 6, 0, 4, 1, 3, 5]);
  });

  it("sorts descending with missing values still last and ties in their original order", () => {
    expect(sortRowIndices(rows, "v", "descending")).toEqual([0, 4, 6, 2, 1, 3, 5]);
  });

  it("sorts text naturally", () => {
    const names = [{ n: "b10" }, { n: "b2" }, { n: "A" }];
    expect(sortRowIndices(names, "n", "ascending")).toEqual([2, 1, 0]);
  });

  it("returns nothing for no rows", () => {
    expect(sortRowIndices([], "v", "ascending")).toEqual([]);
  });
});

describe("thinSeries", () => {
  const line = (n: number, f: (x: number) => number): Point[] => Array.from({ length: n }, (_, x) => ({ x, y: f(x) }));

  it("returns short series unchanged", () => {
    const points = line(10, (x) => x);
    expect(thinSeries(points, 10)).toEqual(points);
    expect(thinSeries(points, 50)).toEqual(points);
  });

  it("keeps the first and last points and at most maxPoints", () => {
    const points = line(10_000, (x) => Math.sin(x / 100));
    const thinned = thinSeries(points, 200);
    expect(thinned).toHaveLength(200);
    expect(thinned[0]).toEqual(points[0]);
    expect(thinned.at(-1)).toEqual(points.at(-1));
    for (let i = 1; i < thinned.length; i++) expect(thinned[i].x).toBeGreaterThan(thinned[i - 1].x);
  });

  it("keeps a single spike that every-n-th sampling would miss", () => {
    const points = line(1000, (x) => (x === 503 ? 100 : 0));
    expect(thinSeries(points, 20).some((p) => p.y === 100)).toBe(true);
  });

  it("drops non-finite values before thinning", () => {
    const points = [{ x: 0, y: 1 }, { x: 1, y: NaN }, { x: 2, y: Infinity }, { x: 3, y: 2 }];
    expect(thinSeries(points, 10)).toEqual([{ x: 0, y: 1 }, { x: 3, y: 2 }]);
  });

  it("handles degenerate budgets", () => {
    const points = line(5, (x) => x);
    expect(thinSeries(points, 0)).toEqual([]);
    expect(thinSeries(points, 1)).toEqual([points[0]]);
    expect(thinSeries(points, 2)).toEqual([points[0], points[4]]);
    expect(thinSeries(points, 3)).toHaveLength(3);
  });
});

describe("visibleFields", () => {
  const comparison = compareRuns([
    makeRun({ run_id: "a", hyperparameters: { shrinkage: 0.1 } }),
    makeRun({ run_id: "b", hyperparameters: { shrinkage: 0.2 } }),
  ]);

  it("shows every field some run has a value for, or only those where runs differ plus the identifying ones", () => {
    expect(visibleFields(comparison, false)).toEqual(comparison.fields.filter((field) => field !== "backend" && field !== "reproduced_from"));
    const differing = visibleFields(comparison, true);
    expect(differing).toEqual(expect.arrayContaining(["run_id", "start_time", "duration_s", "params.shrinkage"]));
    expect(differing).not.toContain("model_class");
    expect(differing).not.toContain("metrics.accuracy");
  });
});

describe("sharedValues", () => {
  it("states what the runs share, leaving out fields none of them has", () => {
    const shared = sharedValues(compareRuns([makeRun({ run_id: "a" }), makeRun({ run_id: "b" })]));
    expect(shared).toMatchObject({ model_class: "ModelImpl1", seed: 42 });
    expect(shared).not.toHaveProperty("backend");
    expect(shared).not.toHaveProperty("reproduced_from");
  });
});

describe("differingCells", () => {
  const rows: Record<string, FieldValue>[] = [
    { a: 1, b: "x", c: null },
    { a: 1, b: "y", c: 2 },
    { a: 2, b: "x" },
  ];

  it("flags cells that differ from the reference row, missing against present included", () => {
    const flags = differingCells(rows, ["a", "b", "c"], 0);
    expect([...flags[0]]).toEqual([]);
    expect([...flags[1]].sort()).toEqual(["b", "c"]);
    expect([...flags[2]]).toEqual(["a"]);
  });

  it("compares against any reference and only within the given fields", () => {
    expect([...differingCells(rows, ["a"], 2)[0]]).toEqual(["a"]);
  });

  it("flags nothing without a reference", () => {
    expect(differingCells(rows, ["a"], -1).every((set) => set.size === 0)).toBe(true);
  });

  it("treats missing and null alike, and NaN as equal to NaN", () => {
    expect(sameValue(null, undefined)).toBe(true);
    expect(sameValue(NaN, NaN)).toBe(true);
    expect(sameValue(0, false)).toBe(false);
    expect(sameValue("1", 1)).toBe(false);
  });
});

describe("parseFilter", () => {
  it("splits words, field tests and quoted phrases", () => {
    expect(parseFilter('  lbfgs -failed accuracy>=0.9 model="Logistic Regression" lr!=0.1 "two words" ')).toEqual([
      { kind: "text", text: "lbfgs", negate: false },
      { kind: "text", text: "failed", negate: true },
      { kind: "field", name: "accuracy", operator: ">=", value: "0.9" },
      { kind: "field", name: "model", operator: "=", value: "Logistic Regression" },
      { kind: "field", name: "lr", operator: "!=", value: "0.1" },
      { kind: "text", text: "two words", negate: false },
    ]);
  });

  it("reads every operator", () => {
    expect(parseFilter("a<1 b<=2 c>3 d>=4 e=5 f!=6").map((t) => (t.kind === "field" ? t.operator : "text"))).toEqual(["<", "<=", ">", ">=", "=", "!="]);
  });

  it("ignores an empty query and a lone dash is text", () => {
    expect(parseFilter("")).toEqual([]);
    expect(parseFilter("   ")).toEqual([]);
    expect(parseFilter("-")).toEqual([{ kind: "text", text: "-", negate: false }]);
  });

  it("does not read times or numbers as field tests", () => {
    expect(parseFilter("07:00 0.5>")).toEqual([
      { kind: "text", text: "07:00", negate: false },
      { kind: "text", text: "0.5>", negate: false },
    ]);
  });
});

describe("resolveFieldKeys", () => {
  const keys = ["run_id", "model_class", "githash", "params.learningRate", "features.learningRate", "metrics.accuracy", "metrics.val_accuracy"];

  it("resolves full keys, last parts and aliases, in any case", () => {
    expect(resolveFieldKeys("params.learningRate", keys)).toEqual(["params.learningRate"]);
    expect(resolveFieldKeys("LEARNINGRATE", keys)).toEqual(["params.learningRate", "features.learningRate"]);
    expect(resolveFieldKeys("accuracy", keys)).toEqual(["metrics.accuracy"]);
    expect(resolveFieldKeys("model", keys)).toEqual(["model_class"]);
    expect(resolveFieldKeys("commit", keys)).toEqual(["githash"]);
    expect(resolveFieldKeys("nothing", keys)).toEqual([]);
  });
});

describe("compileFilter", () => {
  const rows: Record<string, FieldValue>[] = [
    { run_id: "r1", status: "finished", model_class: "LogisticRegression", "params.lr": 0.1, "metrics.accuracy": 0.91, start_time: "2026-11-25T10:00:00Z" },
    { run_id: "r2", status: "failed", model_class: "RandomForest", "params.lr": null, "metrics.accuracy": 0.7, start_time: "2026-11-26T10:00:00Z" },
    { run_id: "r3", status: "finished", model_class: "LogisticRegression", "params.lr": 0.01, "metrics.accuracy": 0.8123456, start_time: "2026-11-27T10:00:00Z" },
  ];
  const keys = Object.keys(rows[0]);
  const ids = (query: string) => rows.filter(compileFilter(query, keys)).map((row) => row.run_id);

  it("matches everything for an empty query", () => {
    expect(ids("")).toEqual(["r1", "r2", "r3"]);
  });

  it("matches words anywhere, any case, all of them", () => {
    expect(ids("logistic")).toEqual(["r1", "r3"]);
    expect(ids("LOGISTIC r3")).toEqual(["r3"]);
    expect(ids("forest")).toEqual(["r2"]);
  });

  it("excludes with a leading dash", () => {
    expect(ids("-failed")).toEqual(["r1", "r3"]);
  });

  it("matches raw and displayed values and key=value text", () => {
    expect(ids("0.8123456")).toEqual(["r3"]);
    expect(ids("0.8123")).toEqual(["r3"]);
    expect(ids("params.lr=0.01")).toEqual(["r3"]);
  });

  it("compares numbers", () => {
    expect(ids("accuracy>0.8")).toEqual(["r1", "r3"]);
    expect(ids("accuracy>=0.91")).toEqual(["r1"]);
    expect(ids("accuracy<0.8")).toEqual(["r2"]);
    expect(ids("accuracy<=0.7")).toEqual(["r2"]);
    expect(ids("lr=0.1")).toEqual(["r1"]);
    expect(ids("lr!=0.1")).toEqual(["r2", "r3"]);
  });

  it("never matches a missing value with an ordering test, and matches it with an empty equality", () => {
    expect(ids("lr<1")).toEqual(["r1", "r3"]);
    expect(ids("lr=")).toEqual(["r2"]);
  });

  it("matches text fields by containment and orders ISO dates as text", () => {
    expect(ids("model=logistic")).toEqual(["r1", "r3"]);
    expect(ids("model!=logistic")).toEqual(["r2"]);
    expect(ids("start>=2026-11-26")).toEqual(["r2", "r3"]);
  });

  it("rejects a numeric bound that is not a number", () => {
    expect(ids("accuracy>high")).toEqual([]);
  });

  it("reads a test of an unknown field as text", () => {
    expect(ids("nothing=1")).toEqual([]);
    expect(ids("status=failed")).toEqual(["r2"]);
  });

  it("caches each row's searchable text", () => {
    const row = { a: "X" };
    expect(haystackOf(row)).toBe(haystackOf(row));
    expect(haystackOf(row)).toContain("a=x");
  });
});
