import { describe, expect, it } from "vitest";
import { Identity } from "../../../src/core/builtins/features/identity";
import { MinMaxScaler } from "../../../src/core/builtins/features/minMaxScaler";
import { OneHotEncoder } from "../../../src/core/builtins/features/oneHotEncoder";
import { PolynomialFeatures } from "../../../src/core/builtins/features/polynomialFeatures";
import { StandardScaler } from "../../../src/core/builtins/features/standardScaler";
import type { FeatureGeneratorClass } from "../../../src/core/components/featureGenerator";
import { Dataset } from "../../../src/core/data/dataset";
import { errorOf } from "../datasets/helpers";
import { dataset, rowsOf, sameMatrix } from "./helpers";

const GENERATORS: FeatureGeneratorClass[] = [Identity, StandardScaler, MinMaxScaler, OneHotEncoder, PolynomialFeatures];

const train = dataset({ x: [1, 2, 6, null], z: [0.5, -1, 2, 3], color: ["red", "blue", null, "red"], y: ["no", "yes", "no", "yes"] });

function fitted(cls: FeatureGeneratorClass) {
  const generator = new cls();
  generator.fit(train);
  return generator;
}

describe.each(GENERATORS.map((cls) => [cls.name, cls] as const))("%s follows the shared rules", (_name, cls) => {
  it("never reads the target: its values do not change the matrix, its name is not a column", () => {
    const generator = fitted(cls);
    const a = generator.transform(train);
    const b = generator.transform(dataset({ x: [1, 2, 6, null], z: [0.5, -1, 2, 3], color: ["red", "blue", null, "red"], y: ["?", "?", "?", "?"] }));
    expect(sameMatrix(a, b)).toBe(true);
    expect(a.names.some((name) => name === "y" || name.startsWith("y="))).toBe(false);
  });

  it("imputes a missing number with the training mean (3)", () => {
    const generator = fitted(cls);
    const missing = generator.transform(dataset({ x: [null], z: [1], color: ["red"], y: ["no"] }));
    const mean = generator.transform(dataset({ x: [3], z: [1], color: ["red"], y: ["no"] }));
    expect(rowsOf(missing)).toEqual(rowsOf(mean));
    expect(missing.data.every(Number.isFinite)).toBe(true);
  });

  it("encodes an unseen category like a missing one: zeros in every color column", () => {
    const generator = fitted(cls);
    const unseen = generator.transform(dataset({ x: [1], z: [1], color: ["purple"], y: ["no"] }));
    const missing = generator.transform(dataset({ x: [1], z: [1], color: [null], y: ["no"] }));
    expect(rowsOf(unseen)).toEqual(rowsOf(missing));
    const colorColumns = unseen.names.flatMap((name, j) => (name.startsWith("color=") ? [j] : []));
    expect(colorColumns.length).toBe(2);
    for (const j of colorColumns) expect(unseen.data[j]).toBe(0);
  });

  it("ignores extra columns and reports a missing one with a suggestion", async () => {
    const generator = fitted(cls);
    const extra = generator.transform(dataset({ extra: [9], x: [1], z: [1], color: ["red"], y: ["no"] }));
    expect(extra.names).not.toContain("extra");
    const error = await errorOf(() => generator.transform(dataset({ xx: [1], z: [1], color: ["red"], y: ["no"] })));
    expect(error.message).toContain(`was fitted on a column "x" that this dataset does not have. Did you mean "xx"?`);
    expect(error.message).toContain(cls.name);
  });

  it("reads numeric text in a column that was numeric in training, and names the row of anything else", async () => {
    const generator = fitted(cls);
    const rest = dataset({ z: [1, 1], color: ["red", "red"], y: ["no", "no"] });
    const asText = generator.transform(new Dataset([{ name: "x", kind: "string", values: ["2", null] }, ...rest.columns], "y"));
    const asNumbers = generator.transform(dataset({ x: [2, null], z: [1, 1], color: ["red", "red"], y: ["no", "no"] }));
    expect(rowsOf(asText)).toEqual(rowsOf(asNumbers));
    const error = await errorOf(() => generator.transform(dataset({ x: ["2", "abc"], z: [1, 1], color: ["red", "red"], y: ["no", "no"] })));
    expect(error.message).toContain('Column "x" was numeric when the');
    expect(error.message).toContain('row 2 holds the text "abc"');
  });

  it("keeps a JSON state that survives serialisation, rejects a damaged one, and forgets on null", async () => {
    const generator = fitted(cls);
    const state = generator.getState();
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    const damaged = await errorOf(() => new cls().setState({ plan: { columns: [{ name: "x", kind: "number", mean: "two" }] } }));
    expect(damaged.message).toContain("is not valid: columns[0].mean must be a finite number");
    generator.setState(null);
    expect(() => generator.transform(train)).toThrow(/before it was fitted/);
  });

  it("does not modify the dataset it is given", () => {
    const data = dataset({ x: [1, null], z: [1, 2], color: ["red", null], y: ["no", "yes"] });
    const before = JSON.stringify(data.columns.map((c) => Array.from(c.values as ArrayLike<unknown>)));
    const generator = new cls();
    generator.fit(data);
    generator.transform(data);
    expect(JSON.stringify(data.columns.map((c) => Array.from(c.values as ArrayLike<unknown>)))).toBe(before);
  });

  it("refuses to one-hot encode an identifier-like column into thousands of columns", async () => {
    const ids = Array.from({ length: 12000 }, (_, i) => `id-${i}`);
    const error = await errorOf(() => new cls().fit(dataset({ id: ids, y: ids.map(() => 0) })));
    expect(error.message).toContain('"id" has 12,000 distinct values');
    expect(error.message).toMatch(/"columns" parameter|maxCategories/);
  });
});

describe("OneHotEncoder with maxCategories", () => {
  it("handles the identifier-like column the other generators refuse", () => {
    const ids = Array.from({ length: 12000 }, (_, i) => `id-${i}`);
    const encoder = new OneHotEncoder({ maxCategories: 10 });
    encoder.fit(dataset({ id: ids, y: ids.map(() => 0) }));
    expect(encoder.transform(dataset({ id: ["id-5"], y: [0] })).cols).toBe(10);
  });
});
