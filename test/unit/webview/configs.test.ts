import { describe, expect, it, vi } from "vitest";
import { curvesConfig, metricBarsConfig, scatterAxisKind, scatterConfig, trialsConfig } from "../../../webview/compare/charts/configs";
import { readChartTheme } from "../../../webview/compare/charts/theme";

const theme = readChartTheme((name) => ({ "--vscode-charts-green": "#00ff00", "--vscode-focusBorder": "#ff00ff", "--vscode-charts-blue": "#0000ff" })[name] ?? "", ["vscode-dark"]);

describe("metricBarsConfig", () => {
  const bars = { runIds: ["r1", "r2", "r3"], labels: ["1", "2", "3"], values: [0.9, 0.8, 0.7], best: [true, false, false], selected: 2, total: 3 };

  it("colours the best bar and the selected bar, draws without animation and names the direction", () => {
    const config = metricBarsConfig(bars, "accuracy", "max", theme, () => undefined);
    const colours = config.data.datasets[0].backgroundColor as string[];
    expect(colours[0]).toBe("#00ff00");
    expect(colours[2]).toBe("#ff00ff");
    expect(colours[1]).toBe("rgba(204, 204, 204, 0.4)");
    expect(config.options?.animation).toBe(false);
    const y = config.options?.scales?.y as { title: { text: string } };
    expect(y.title.text).toBe("accuracy (higher is better)");
  });

  it("selects the run of a clicked bar", () => {
    const select = vi.fn();
    const config = metricBarsConfig(bars, "accuracy", "max", theme, select);
    (config.options?.onClick as unknown as (event: unknown, elements: { datasetIndex: number; index: number }[]) => void)({}, [{ datasetIndex: 0, index: 1 }]);
    expect(select).toHaveBeenCalledWith("r2");
  });
});

describe("curvesConfig", () => {
  const series = (n: number) => Array.from({ length: n }, (_, i) => ({ runId: `run-${i}`, points: [{ x: 1, y: 1 }], best: i === 0, selected: i === 1 }));

  it("draws the selected and best curves thicker and the selected on top", () => {
    const datasets = curvesConfig(series(3), "loss", theme, () => undefined).data.datasets;
    expect(datasets[1].borderColor).toBe("#ff00ff");
    expect(datasets[0].borderColor).toBe("#00ff00");
    expect(datasets[2].borderColor).toBe(theme.palette[0]);
    expect(datasets[1].order).toBe(0);
    expect(datasets[0].borderWidth).toBeGreaterThan(datasets[2].borderWidth as number);
  });

  it("shows a legend only for a readable number of curves", () => {
    expect(curvesConfig(series(3), "loss", theme, () => undefined).options?.plugins?.legend?.display).toBe(true);
    expect(curvesConfig(series(30), "loss", theme, () => undefined).options?.plugins?.legend?.display).toBe(false);
  });
});

describe("scatter", () => {
  it("uses a log axis for positive values spanning three orders of magnitude", () => {
    expect(scatterAxisKind([0.0001, 0.1])).toBe("logarithmic");
    expect(scatterAxisKind([0.01, 0.1])).toBe("linear");
    expect(scatterAxisKind([0, 100])).toBe("linear");
    expect(scatterAxisKind([])).toBe("linear");
  });

  it("labels category ticks with the categories", () => {
    const config = scatterConfig({ categories: ["gini", "entropy"], points: [{ x: 0, y: 1, runId: "a" }] }, "params.kind", "accuracy", "max", new Set(["a"]), null, theme, () => undefined);
    const x = config.options?.scales?.x as { ticks: { callback: (value: number) => string }; min: number; max: number };
    expect(x.ticks.callback(1)).toBe("entropy");
    expect(x.ticks.callback(0.5)).toBe("");
    expect([x.min, x.max]).toEqual([-0.5, 1.5]);
    expect((config.data.datasets[0].backgroundColor as string[])[0]).toBe("#00ff00");
  });
});

describe("trialsConfig", () => {
  it("enlarges and colours the best trial", () => {
    const config = trialsConfig({ points: [{ x: 0, y: 1 }, { x: 1, y: 2 }], best: 1, params: ["a", "b"] }, "accuracy", theme);
    const dataset = config.data.datasets[0];
    expect((dataset.pointRadius as number[])[1]).toBeGreaterThan((dataset.pointRadius as number[])[0]);
    expect((dataset.pointBackgroundColor as string[])[1]).toBe("#00ff00");
  });
});
