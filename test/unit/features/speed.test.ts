import { describe, expect, it } from "vitest";
import { Synthetic } from "../../../src/core/builtins/datasets/synthetic";
import { Identity } from "../../../src/core/builtins/features/identity";
import { StandardScaler } from "../../../src/core/builtins/features/standardScaler";

/** Best of a few runs, so that a busy machine does not make the test flaky. */
function bestTime(action: () => void, runs = 5): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    action();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe("transform speed", () => {
  const data = new Synthetic({ rows: 100_000, features: 20 }).load();

  it.each([Identity, StandardScaler].map((cls) => [cls.name, cls] as const))("%s transforms 100,000 rows × 20 columns in well under 100 ms", (_name, cls) => {
    const generator = new cls();
    generator.fit(data);
    const milliseconds = bestTime(() => generator.transform(data));
    expect(generator.transform(data).cols).toBe(20);
    // Typically 5–15 ms; the bound leaves room for a loaded CI machine.
    expect(milliseconds).toBeLessThan(100);
  });
});
