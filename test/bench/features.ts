import { Synthetic } from "../../src/core/builtins/datasets/synthetic";
import { Identity } from "../../src/core/builtins/features/identity";
import { OneHotEncoder } from "../../src/core/builtins/features/oneHotEncoder";
import { PolynomialFeatures } from "../../src/core/builtins/features/polynomialFeatures";
import { StandardScaler } from "../../src/core/builtins/features/standardScaler";
import { median, printTable } from "./timing";

/**
 * Feature transforms on 100,000 rows × 20 numeric columns (+ 2 text columns), against the plainest
 * possible baseline measured in the same run: copying the same numbers into a row-major matrix.
 */
export async function benchFeatures(): Promise<void> {
  const data = await new Synthetic({ rows: 100_000, features: 20, categorical: 2 }).load();
  const numeric = data.featureColumns.filter((c) => c.kind === "number").map((c) => c.values as Float64Array);
  const copy = timeMedian(() => {
    const out = new Float64Array(data.rowCount * numeric.length);
    numeric.forEach((column, j) => column.forEach((v, i) => (out[i * numeric.length + j] = v)));
  });
  const rows: (string | number)[][] = [["plain copy of the numbers (baseline)", copy, 1]];
  for (const cls of [Identity, StandardScaler, OneHotEncoder, PolynomialFeatures]) {
    const generator = new cls();
    generator.fit(data);
    const ms = timeMedian(() => generator.transform(data));
    rows.push([`${cls.name}.transform → ${generator.transform(data).cols} columns`, ms, ms / copy]);
  }
  printTable("Feature transforms, 100,000 rows (median of 5)", ["what", "ms", "× baseline"], rows);
}

function timeMedian(action: () => void, runs = 5): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    action();
    times.push(performance.now() - start);
  }
  return median(times);
}

if (require.main === module) void benchFeatures();
