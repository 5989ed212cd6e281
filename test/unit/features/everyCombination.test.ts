import { beforeAll, describe, expect, it } from "vitest";
import { CsvFile } from "../../../src/core/builtins/datasets/csvFile";
import { JsonLines } from "../../../src/core/builtins/datasets/jsonLines";
import { SqliteQuery } from "../../../src/core/builtins/datasets/sqliteQuery";
import { Synthetic } from "../../../src/core/builtins/datasets/synthetic";
import { Identity } from "../../../src/core/builtins/features/identity";
import { MinMaxScaler } from "../../../src/core/builtins/features/minMaxScaler";
import { OneHotEncoder } from "../../../src/core/builtins/features/oneHotEncoder";
import { PolynomialFeatures } from "../../../src/core/builtins/features/polynomialFeatures";
import { StandardScaler } from "../../../src/core/builtins/features/standardScaler";
import type { DataAccessObject } from "../../../src/core/components/dataAccessObject";
import type { FeatureGeneratorClass } from "../../../src/core/components/featureGenerator";
import { range } from "../../../src/core/util/random";
import { loadSqlJs } from "../../../src/core/util/sqljs";
import { tempWorkspace, type TempWorkspace } from "../datasets/helpers";
import { restored, sameMatrix } from "./helpers";

/** 30 rows with numbers, text, missing values, and a category ("purple") only in the last rows. */
const ROWS = Array.from({ length: 30 }, (_, i) => ({
  size: i % 7 === 3 ? null : i * 1.5,
  delta: (i % 5) - 2,
  color: i % 11 === 4 ? null : i >= 25 ? "purple" : ["red", "green", "blue"][i % 3],
  label: i % 2 === 0 ? "yes" : "no",
}));

let workspace: TempWorkspace;

beforeAll(async () => {
  workspace = tempWorkspace();
  const csv = ["size,delta,color,label", ...ROWS.map((r) => [r.size ?? "", r.delta, r.color ?? "", r.label].join(","))];
  workspace.write("rows.csv", csv.join("\n"));
  workspace.write("rows.jsonl", ROWS.map((r) => JSON.stringify(r)).join("\n"));
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.run("CREATE TABLE rows (size REAL, delta INTEGER, color TEXT, label TEXT)");
  for (const r of ROWS) db.run("INSERT INTO rows VALUES (?, ?, ?, ?)", [r.size, r.delta, r.color, r.label]);
  workspace.write("rows.sqlite", db.export());
  db.close();
});

const SOURCES: [string, () => DataAccessObject<object>][] = [
  ["CsvFile", () => new CsvFile({ path: "rows.csv", target: "label" })],
  ["JsonLines", () => new JsonLines({ path: "rows.jsonl", target: "label" })],
  ["SqliteQuery", () => new SqliteQuery({ path: "rows.sqlite", query: "SELECT * FROM rows", target: "label" })],
  ["Synthetic", () => new Synthetic({ rows: 30, features: 3, categorical: 2, stringLabels: true })],
];

const GENERATORS: FeatureGeneratorClass[] = [Identity, StandardScaler, MinMaxScaler, OneHotEncoder, PolynomialFeatures];

const CASES = SOURCES.flatMap(([source, make]) => GENERATORS.map((cls) => [source, cls.name, make, cls] as const));

describe("every feature generator works on every data access object", () => {
  it.each(CASES)("%s × %s", async (_source, _generator, makeSource, cls) => {
    const data = await makeSource().load(workspace.context);
    const train = data.take(range(20));
    const test = data.take(range(30).subarray(20));
    const generator = new cls();
    await generator.fit(train);
    const matrix = generator.transform(test);

    expect(matrix.rows).toBe(10);
    expect(matrix.cols).toBe(matrix.names.length);
    expect(matrix.data.length).toBe(matrix.rows * matrix.cols);
    expect(matrix.cols).toBeGreaterThanOrEqual(data.featureColumns.length);
    expect(matrix.data.every(Number.isFinite)).toBe(true);
    expect(new Set(matrix.names).size).toBe(matrix.cols);
    expect(matrix.names.some((name) => name === data.target || name.startsWith(`${data.target}=`))).toBe(false);
    expect(sameMatrix(restored(cls, {}, generator).transform(test), matrix)).toBe(true);
  });

  it("gives the same matrix whichever file format the same rows came from", async () => {
    const [csv, jsonl, sqlite] = await Promise.all(SOURCES.slice(0, 3).map(([, make]) => make().load(workspace.context)));
    for (const cls of GENERATORS) {
      const matrices = [csv, jsonl, sqlite].map((data) => {
        const generator = new cls();
        generator.fit(data);
        return generator.transform(data);
      });
      expect(sameMatrix(matrices[0], matrices[1]), cls.name).toBe(true);
      expect(sameMatrix(matrices[0], matrices[2]), cls.name).toBe(true);
    }
  });
});
