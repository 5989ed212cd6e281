import { Dataset, type Column } from "../../../src/core/data/dataset";
import { Rng } from "../../../src/core/util/random";

/** A realistic table: ids, integer counts, prices with two decimals, a normal score, categories, a label. */
export function table(rows: number): Dataset {
  const rng = new Rng(11);
  const id = Float64Array.from({ length: rows }, (_, i) => 100_000 + i);
  const count = Float64Array.from({ length: rows }, () => rng.int(50));
  const price = Float64Array.from({ length: rows }, () => Math.round(rng.next() * 10_000) / 100);
  const score = Float64Array.from({ length: rows }, () => rng.normal());
  const region = Array.from({ length: rows }, () => ["north", "south", "east", "west"][rng.int(4)]);
  const label = Float64Array.from({ length: rows }, () => rng.int(2));
  return new Dataset(
    [
      { name: "id", kind: "number", values: id },
      { name: "count", kind: "number", values: count },
      { name: "price", kind: "number", values: price },
      { name: "score", kind: "number", values: score },
      { name: "region", kind: "string", values: region },
      { name: "label", kind: "number", values: label },
    ],
    "label",
  );
}

/**
 * A differently shaped dataset, as read from a sensor log CSV: a timestamp (one a minute, with
 * jitter), 24 wide float readings with three decimals and 1% missing, a site name among 40, and a
 * float32 target (a model's output): 27 columns, most of them float.
 */
export function sensorLog(rows: number): Dataset {
  const rng = new Rng(7);
  const columns: Column[] = [{ name: "timestamp", kind: "number", values: Float64Array.from({ length: rows }, (_, i) => 1_700_000_000 + i * 60 + rng.int(3)) }];
  for (let c = 0; c < 24; c++) {
    const values = Float64Array.from({ length: rows }, () => (rng.next() < 0.01 ? NaN : Math.round((20 + c + rng.normal() * 3) * 1000) / 1000));
    columns.push({ name: `sensor_${c}`, kind: "number", values });
  }
  columns.push({ name: "site", kind: "string", values: Array.from({ length: rows }, () => `site-${rng.int(40)}`) });
  columns.push({ name: "y", kind: "number", values: Float64Array.from({ length: rows }, () => Math.fround(rng.normal())) });
  return new Dataset(columns, "y");
}
