/**
 * Chart colours from the VS Code theme. A canvas cannot use `var(--vscode-…)`, so the values are
 * read with getComputedStyle and charts are redrawn when the theme changes (VS Code swaps the body's
 * `vscode-light` / `vscode-dark` / `vscode-high-contrast` class and the variables on <html>).
 */
export interface ChartTheme {
  foreground: string;
  grid: string;
  /** Colours for series, in order; curves cycle through them (and dash patterns). */
  palette: string[];
  best: string;
  selected: string;
  background: string;
  fontFamily: string;
  fontSize: number;
  /** High contrast themes: thicker lines, no translucent fills. */
  highContrast: boolean;
}

export type ThemeKind = "light" | "dark" | "high-contrast" | "high-contrast-light";

export function themeKind(bodyClasses: readonly string[]): ThemeKind {
  if (bodyClasses.includes("vscode-high-contrast-light")) return "high-contrast-light";
  if (bodyClasses.includes("vscode-high-contrast")) return "high-contrast";
  return bodyClasses.includes("vscode-light") ? "light" : "dark";
}

/** Series colours; blue last, as it is close to the focus colour that marks the selected run, green is the best run's. */
const PALETTE_VARIABLES = ["--vscode-charts-orange", "--vscode-charts-purple", "--vscode-charts-yellow", "--vscode-charts-red", "--vscode-charts-blue", "--vscode-charts-green"];

/** VS Code's own defaults for the chart colours, for a host that does not set them. */
const FALLBACK: Record<"light" | "dark", { foreground: string; palette: string[] }> = {
  dark: { foreground: "#cccccc", palette: ["#d18616", "#b180d7", "#cca700", "#f14c4c", "#3794ff", "#89d185"] },
  light: { foreground: "#616161", palette: ["#d18616", "#652d90", "#bf8803", "#e51400", "#1a85ff", "#388a34"] },
};

export function readChartTheme(read: (variable: string) => string, bodyClasses: readonly string[]): ChartTheme {
  const kind = themeKind(bodyClasses);
  const fallback = FALLBACK[kind === "light" || kind === "high-contrast-light" ? "light" : "dark"];
  const value = (variable: string, otherwise: string) => read(variable).trim() || otherwise;
  const foreground = value("--vscode-charts-foreground", value("--vscode-foreground", fallback.foreground));
  const palette = PALETTE_VARIABLES.map((variable, i) => value(variable, fallback.palette[i]));
  return {
    foreground,
    grid: value("--vscode-charts-lines", withAlpha(foreground, 0.25)),
    palette: palette.slice(0, 5),
    best: palette[5],
    selected: value("--vscode-focusBorder", palette[4]),
    background: value("--vscode-editor-background", kind === "light" ? "#ffffff" : "#1e1e1e"),
    fontFamily: value("--vscode-font-family", "sans-serif"),
    fontSize: Number.parseFloat(value("--vscode-font-size", "13")) || 13,
    highContrast: kind === "high-contrast" || kind === "high-contrast-light",
  };
}

/** `#rrggbb` (or `#rgb`) with an alpha; other colour syntaxes are returned as they are. */
export function withAlpha(colour: string, alpha: number): string {
  const hex = colour.trim().replace(/^#/, "");
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex.slice(0, 6);
  if (!/^[0-9a-f]{6}$/i.test(full)) return colour;
  const channel = (i: number) => Number.parseInt(full.slice(i, i + 2), 16);
  return `rgba(${channel(0)}, ${channel(2)}, ${channel(4)}, ${alpha})`;
}

const DASHES: number[][] = [[], [6, 3], [2, 2], [8, 3, 2, 3]];

/** Colour and dash pattern of the i-th curve: 5 colours × 4 dashes before anything repeats. */
export function seriesStyle(theme: ChartTheme, i: number): { colour: string; dash: number[] } {
  return { colour: theme.palette[i % theme.palette.length], dash: DASHES[Math.floor(i / theme.palette.length) % DASHES.length] };
}
