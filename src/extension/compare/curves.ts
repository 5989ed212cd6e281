import { thinSeries } from "../../shared/compare/thin";
import type { MetricPoint } from "../../core/store/runRecord";
import type { RunCurves } from "../../protocol/compare";
import type { CompareRunSource } from "./runSource";

/** Points per learning curve sent to the webview: more than a chart's width in pixels shows nothing more. */
export const MAX_POINTS_PER_CURVE = 300;

/** A run's history with each named series thinned to `maxPoints` (shape-preserving, see thinSeries). */
export function thinHistory(points: readonly MetricPoint[], maxPoints = MAX_POINTS_PER_CURVE): MetricPoint[] {
  const byName = new Map<string, MetricPoint[]>();
  for (const point of points) {
    const series = byName.get(point.name) ?? [];
    series.push(point);
    byName.set(point.name, series);
  }
  const thinned: MetricPoint[] = [];
  for (const [name, series] of byName) {
    const ordered = [...series].sort((a, b) => a.step - b.step);
    for (const { x, y } of thinSeries(ordered.map((p) => ({ x: p.step, y: p.value })), maxPoints)) thinned.push({ step: x, name, value: y });
  }
  return thinned;
}

export async function loadCurves(source: CompareRunSource, runIds: readonly string[], maxPoints = MAX_POINTS_PER_CURVE): Promise<RunCurves[]> {
  const curves: RunCurves[] = [];
  // One at a time: sql.js reads are synchronous anyway, and this keeps the host responsive between runs.
  for (const runId of runIds) curves.push({ runId, points: thinHistory(await source.history(runId), maxPoints) });
  return curves;
}
