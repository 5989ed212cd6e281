import { describe, expect, it } from "vitest";
import type { MetricPoint, SearchTrial } from "../../../src/core/store/runRecord";
import type { CompareViewState } from "../../../src/protocol/compare";
import {
  curveNames,
  curveRunIds,
  curveSeries,
  effectiveCurveName,
  effectiveScatterField,
  metricBars,
  scatterData,
  scatterFields,
  searchedRunIds,
  shortRunId,
  trialsData,
  trialsRunId,
} from "../../../webview/compare/charts/chartData";
import { buildCompareData } from "../../../webview/compare/dataset";
import { deriveTable } from "../../../webview/compare/tableModel";
import { DEFAULT_VIEW } from "../../../webview/compare/viewState";
import { makeRun } from "../../helpers/runs";
import { A, B, C, threeRuns } from "./runs";

const data = buildCompareData(threeRuns());
const model = (patch: Partial<CompareViewState> = {}) => deriveTable(data, { ...DEFAULT_VIEW, ...patch });

describe("shortRunId", () => {
  it("keeps the random part of a run id", () => {
    expect(shortRunId("20261126-064801-3fa9c2d1")).toBe("3fa9c2d1");
    expect(shortRunId("plain")).toBe("plain");
  });
});

describe("metricBars", () => {
  it("has the chosen metric of the shown runs in table order, marking the best and the selected", () => {
    const bars = metricBars(model(), A);
    expect(bars.runIds).toEqual([B, C, A]);
    expect(bars.values).toEqual([0.9, 0.85, 0.8]);
    expect(bars.best).toEqual([true, false, false]);
    expect(bars.selected).toBe(2);
    // Bars are named by model; the runs share one, so the end of the run id tells them apart.
    expect(bars.labels).toEqual(["ModelImpl1 · bbbbbbbb", "ModelImpl1 · cccccccc", "ModelImpl1 · aaaaaaaa"]);
    const mixed = buildCompareData([makeRun({ run_id: "20261126-064801-aaaaaaaa", model_class: "X" }), makeRun({ run_id: "20261126-064802-bbbbbbbb", model_class: "Y" })]);
    expect(metricBars(deriveTable(mixed, DEFAULT_VIEW), null).labels.sort()).toEqual(["X", "Y"]);
    expect(bars.total).toBe(3);
  });

  it("thins thousands of bars to a readable number, keeping the shape, the best and the selected run", () => {
    const runs = Array.from({ length: 5000 }, (_, i) => makeRun({ run_id: `r${i}`, metrics: { accuracy: i === 4321 ? 0.99 : 0.5 + 0.4 * Math.sin(i / 300) ** 2 } }));
    const many = deriveTable(buildCompareData(runs), { ...DEFAULT_VIEW, sort: { column: "run_id", direction: "ascending" } });
    const bars = metricBars(many, "r17", 100);
    expect(bars.total).toBe(5000);
    expect(bars.values.length).toBeLessThanOrEqual(102);
    expect(bars.values.length).toBeGreaterThanOrEqual(100);
    expect(bars.runIds).toContain("r4321");
    expect(bars.best[bars.runIds.indexOf("r4321")]).toBe(true);
    expect(bars.runIds[bars.selected]).toBe("r17");
    const order = bars.runIds.map((id) => many.rows.findIndex((row) => row.runId === id));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("follows the filter and sort and leaves out runs without the metric", () => {
    const withFailed = buildCompareData([...threeRuns(), makeRun({ run_id: "failed", metrics: {} })]);
    const bars = metricBars(deriveTable(withFailed, { ...DEFAULT_VIEW, sort: { column: "start_time", direction: "ascending" } }), null);
    expect(bars.runIds).toEqual([A, B, C]);
    expect(bars.selected).toBe(-1);
  });
});

describe("learning curves", () => {
  const points = (name: string, values: number[]): MetricPoint[] => values.map((value, step) => ({ step, name, value }));
  const curves = new Map<string, MetricPoint[]>([
    [A, [...points("loss", [1, 0.5]), ...points("val_loss", [1.1, 0.6])]],
    [B, points("loss", [0.9, NaN, 0.4])],
  ]);

  it("lists the series names of the shown runs and picks loss by default", () => {
    expect(curveNames(curves, [A, B])).toEqual(["loss", "val_loss"]);
    expect(curveNames(curves, [B])).toEqual(["loss"]);
    expect(effectiveCurveName(["acc", "loss"], null)).toBe("loss");
    expect(effectiveCurveName(["acc", "val"], "gone")).toBe("acc");
    expect(effectiveCurveName(["acc", "val"], "val")).toBe("val");
    expect(effectiveCurveName([], null)).toBeNull();
  });

  it("overlays the best N shown runs plus the selected one; 0 means all", () => {
    expect(curveRunIds(model(), 1, null)).toEqual([B]);
    expect(curveRunIds(model(), 1, A)).toEqual([B, A]);
    expect(curveRunIds(model(), 0, null)).toEqual([B, C, A]);
    expect(curveRunIds(model({ filter: "aaaaaaaa" }), 5, B)).toEqual([A]);
  });

  it("builds one series per run with points, dropping non-finite values", () => {
    const series = curveSeries(curves, model().ranked, [B, C, A], "loss", A);
    expect(series.map((s) => s.runId)).toEqual([B, A]);
    expect(series[0]).toMatchObject({ best: true, selected: false, points: [{ x: 0, y: 0.9 }, { x: 2, y: 0.4 }] });
    expect(series[1].selected).toBe(true);
  });
});

describe("scatter", () => {
  it("offers the differing parameters first, and class names only when they differ", () => {
    const fields = scatterFields(data);
    expect(fields.slice(0, 2)).toEqual(["params.lr", "params.epochs"]);
    expect(fields).toContain("seed");
    expect(fields).not.toContain("model_class");
    const mixed = buildCompareData([makeRun({ run_id: "a", model_class: "X" }), makeRun({ run_id: "b", model_class: "Y" })]);
    expect(scatterFields(mixed)[0]).toBe("model_class");
    expect(effectiveScatterField(fields, "nope")).toBe("params.lr");
    expect(effectiveScatterField(fields, "seed")).toBe("seed");
    expect(effectiveScatterField([], null)).toBeNull();
  });

  it("plots numeric fields as numbers", () => {
    expect(scatterData(model().rows, "params.lr")).toEqual({
      categories: null,
      points: [
        { x: 0.01, y: 0.9, runId: B },
        { x: 0.001, y: 0.85, runId: C },
        { x: 0.1, y: 0.8, runId: A },
      ],
    });
  });

  it("plots text fields as categories, in first-seen order", () => {
    const runs = [makeRun({ run_id: "a", hyperparameters: { kind: "gini" }, metrics: { accuracy: 0.5 } }), makeRun({ run_id: "b", hyperparameters: { kind: "entropy" }, metrics: { accuracy: 0.7 } }), makeRun({ run_id: "c", hyperparameters: { kind: "gini" }, metrics: { accuracy: 0.6 } })];
    const scatter = scatterData(deriveTable(buildCompareData(runs), DEFAULT_VIEW).rows, "params.kind");
    expect(scatter.categories).toEqual(["entropy", "gini"]);
    expect(scatter.points.map((p) => [p.runId, p.x])).toEqual([["b", 0], ["c", 1], ["a", 1]]);
  });

  it("leaves out runs lacking the field or the metric", () => {
    const runs = [makeRun({ run_id: "a", hyperparameters: {}, metrics: { accuracy: 0.5 } }), makeRun({ run_id: "b", hyperparameters: { k: 1 }, metrics: {} })];
    expect(scatterData(deriveTable(buildCompareData(runs), DEFAULT_VIEW).rows, "params.k").points).toEqual([]);
  });
});

describe("search trials", () => {
  const trials: SearchTrial[] = [
    { trial: 0, params: { lr: 0.1 }, score: 0.7, fold_scores: [] },
    { trial: 1, params: { lr: 0.01, opts: { a: 1 } }, score: NaN, fold_scores: [] },
    { trial: 2, params: { lr: 0.001 }, score: 0.9, fold_scores: [] },
    { trial: 3, params: { lr: 0.0001 }, score: 0.2, fold_scores: [] },
  ];

  it("marks the best trial in the metric's direction and skips failed trials", () => {
    expect(trialsData(trials, "max")).toMatchObject({ best: 1, points: [{ x: 0, y: 0.7 }, { x: 2, y: 0.9 }, { x: 3, y: 0.2 }] });
    expect(trialsData(trials, "min").best).toBe(2);
    expect(trialsData(trials, "max").params[0]).toBe("lr=0.1");
    expect(trialsData([], "max").best).toBe(-1);
  });

  it("shows the selected run's trials when it searched, else the best run that did", () => {
    const runs = threeRuns().map((run, i) => ({ ...run, search: { strategy: "random" as const, trials: i === 1 ? 1 : 8, cv: 3 } }));
    const searchedData = buildCompareData(runs);
    const searchedModel = deriveTable(searchedData, DEFAULT_VIEW);
    expect(searchedRunIds(searchedModel, searchedData)).toEqual([C, A]);
    expect(trialsRunId(searchedModel, searchedData, A)).toEqual({ runId: A, fallback: false });
    expect(trialsRunId(searchedModel, searchedData, B)).toEqual({ runId: C, fallback: true });
    expect(trialsRunId(searchedModel, searchedData, null)).toEqual({ runId: C, fallback: false });
    expect(trialsRunId(model(), data, null)).toBeNull();
  });
});
