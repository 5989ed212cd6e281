import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
  type DefaultDataPoint,
} from "chart.js";

// Only what the four charts use: Chart.js is tree-shaken into the webview bundle (no CDN, and
// Chart.js 3+ injects no CSS, so it runs under the panel's strict CSP).
Chart.register(BarController, BarElement, CategoryScale, LinearScale, LogarithmicScale, LineController, LineElement, PointElement, ScatterController, Tooltip, Legend);

/**
 * One canvas and the chart drawn on it. Redrawing replaces data and options and updates without
 * animation; the chart is created on first draw (a canvas in a hidden tab has no size to draw at).
 */
export class ChartSlot<T extends ChartType, D = DefaultDataPoint<T>, L = unknown> {
  private chart: Chart<T, D, L> | undefined;

  constructor(readonly canvas: HTMLCanvasElement) {}

  draw(config: ChartConfiguration<T, D, L>): void {
    if (!this.chart) {
      this.chart = new Chart(this.canvas, config);
      return;
    }
    this.chart.data = config.data;
    if (config.options) this.chart.options = config.options;
    this.chart.update("none");
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = undefined;
  }
}
