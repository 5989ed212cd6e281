import { describe, expect, it } from "vitest";
import { readChartTheme, seriesStyle, themeKind, withAlpha } from "../../../webview/compare/charts/theme";

describe("themeKind", () => {
  it("reads VS Code's body classes", () => {
    expect(themeKind(["vscode-light"])).toBe("light");
    expect(themeKind(["vscode-dark"])).toBe("dark");
    expect(themeKind(["vscode-high-contrast"])).toBe("high-contrast");
    expect(themeKind(["vscode-high-contrast", "vscode-high-contrast-light"])).toBe("high-contrast-light");
    expect(themeKind([])).toBe("dark");
  });
});

describe("readChartTheme", () => {
  const variables: Record<string, string> = {
    "--vscode-charts-foreground": " #111111 ",
    "--vscode-charts-lines": "#22222280",
    "--vscode-charts-blue": "#0000ff",
    "--vscode-charts-green": "#00ff00",
    "--vscode-focusBorder": "#ff00ff",
    "--vscode-font-family": "Ubuntu",
    "--vscode-font-size": "14px",
  };

  it("takes the theme's chart colours and font", () => {
    const theme = readChartTheme((name) => variables[name] ?? "", ["vscode-dark"]);
    expect(theme).toMatchObject({ foreground: "#111111", grid: "#22222280", best: "#00ff00", selected: "#ff00ff", fontFamily: "Ubuntu", fontSize: 14, highContrast: false });
    // Blue comes last: it is close to the focus colour of the selected run.
    expect(theme.palette[4]).toBe("#0000ff");
    expect(theme.palette).toHaveLength(5);
  });

  it("falls back to VS Code's defaults for the theme kind", () => {
    const light = readChartTheme(() => "", ["vscode-light"]);
    const dark = readChartTheme(() => "", ["vscode-dark"]);
    expect(light.palette[1]).not.toBe(dark.palette[1]);
    expect(dark.foreground).toBe("#cccccc");
    expect(dark.grid).toBe("rgba(204, 204, 204, 0.25)");
    expect(dark.fontSize).toBe(13);
  });

  it("uses the foreground when there is no chart foreground, and knows high contrast", () => {
    const theme = readChartTheme((name) => (name === "--vscode-foreground" ? "#abcdef" : ""), ["vscode-high-contrast"]);
    expect(theme.foreground).toBe("#abcdef");
    expect(theme.highContrast).toBe(true);
  });
});

describe("withAlpha", () => {
  it("adds an alpha to hex colours and leaves others alone", () => {
    expect(withAlpha("#ff0000", 0.5)).toBe("rgba(255, 0, 0, 0.5)");
    expect(withAlpha("#f00", 0.5)).toBe("rgba(255, 0, 0, 0.5)");
    expect(withAlpha("#ff000080", 0.5)).toBe("rgba(255, 0, 0, 0.5)");
    expect(withAlpha("rgb(1, 2, 3)", 0.5)).toBe("rgb(1, 2, 3)");
  });
});

describe("seriesStyle", () => {
  it("cycles colours first, then dash patterns", () => {
    const theme = readChartTheme(() => "", ["vscode-dark"]);
    const styles = Array.from({ length: 20 }, (_, i) => JSON.stringify(seriesStyle(theme, i)));
    expect(new Set(styles).size).toBe(20);
    expect(seriesStyle(theme, 0).dash).toEqual([]);
    expect(seriesStyle(theme, 5).colour).toBe(seriesStyle(theme, 0).colour);
    expect(seriesStyle(theme, 5).dash).not.toEqual([]);
  });
});
