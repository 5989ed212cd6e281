import { describe, expect, it } from "vitest";
import { csvFileName, tableCsv } from "../../../webview/compare/csv";
import { buildCompareData } from "../../../webview/compare/dataset";
import { deriveTable } from "../../../webview/compare/tableModel";
import { DEFAULT_VIEW } from "../../../webview/compare/viewState";
import { B, C, threeRuns } from "./runs";

describe("tableCsv", () => {
  it("exports what the table shows, full values, with the dirty flag next to the hash", () => {
    const model = deriveTable(buildCompareData(threeRuns()), { ...DEFAULT_VIEW, differencesOnly: true, filter: "lr<0.05" });
    const [header, ...lines] = tableCsv(model).trimEnd().split("\r\n");
    const columns = header.split(",");
    expect(columns.slice(0, 3)).toEqual(["rank", "run_id", "metrics.accuracy"]);
    expect(columns).toContain("dirty");
    expect(columns.indexOf("dirty")).toBe(columns.indexOf("githash") + 1);
    expect(columns).not.toContain("model_class");
    expect(lines.map((line) => line.split(",")[1])).toEqual([B, C]);
    expect(lines[0].split(",")[0]).toBe("1");
  });
});

describe("tableCsv against spreadsheet formulas", () => {
  it("exports a model name that starts with = as text", () => {
    const runs = threeRuns().map((run) => ({ ...run, model_class: '=HYPERLINK("evil","y")' }));
    const csv = tableCsv(deriveTable(buildCompareData(runs), { ...DEFAULT_VIEW, differencesOnly: false }));
    expect(csv).toContain(`"'=HYPERLINK(""evil"",""y"")"`);
    expect(csv).not.toMatch(/(^|,)"?=/m);
  });
});

describe("csvFileName", () => {
  it("names the file after the date and time", () => {
    expect(csvFileName(new Date(2026, 10, 26, 7, 5))).toBe("mlexp-comparison-20261126-0705.csv");
  });
});
