import { describe, expect, it } from "vitest";
import { thinHistory } from "../../../../src/extension/compare/curves";
import type { MetricPoint } from "../../../../src/core/store/runRecord";

describe("thinHistory", () => {
  it("thins each named series on its own and keeps them in step order", () => {
    const points: MetricPoint[] = [];
    for (let step = 999; step >= 0; step--) points.push({ step, name: "loss", value: Math.sin(step) }, { step, name: "val_loss", value: step });
    points.push({ step: 0, name: "short", value: 1 });
    const thinned = thinHistory(points, 50);
    const byName = (name: string) => thinned.filter((p) => p.name === name);
    expect(byName("loss")).toHaveLength(50);
    expect(byName("val_loss")).toHaveLength(50);
    expect(byName("short")).toEqual([{ step: 0, name: "short", value: 1 }]);
    const steps = byName("loss").map((p) => p.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(999);
  });

  it("returns short histories as they are", () => {
    const points = [{ step: 1, name: "loss", value: 0.5 }];
    expect(thinHistory(points)).toEqual(points);
    expect(thinHistory([])).toEqual([]);
  });
});
