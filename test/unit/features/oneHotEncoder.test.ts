import { describe, expect, it } from "vitest";
import { OneHotEncoder } from "../../../src/core/builtins/features/oneHotEncoder";
import { errorOf } from "../datasets/helpers";
import { dataset, restored, rowsOf, sameMatrix } from "./helpers";

const train = dataset({
  color: ["red", "blue", "red", null],
  rooms: [1, 2, 2, 3],
  area: [10, null, 30, 40],
  y: [0, 1, 0, 1],
});

describe("OneHotEncoder", () => {
  it("encodes text columns with sorted categories and passes other numeric columns through (imputed)", () => {
    const encoder = new OneHotEncoder();
    encoder.fit(train);
    const matrix = encoder.transform(train);
    expect(matrix.names).toEqual(["color=blue", "color=red", "rooms", "area"]);
    expect(rowsOf(matrix)).toEqual([
      [0, 1, 1, 10],
      [1, 0, 2, 80 / 3],
      [0, 1, 2, 30],
      [0, 0, 3, 40],
    ]);
  });

  it("encodes numeric columns listed in columns by value", () => {
    const encoder = new OneHotEncoder({ columns: ["rooms"] });
    encoder.fit(train);
    const matrix = encoder.transform(dataset({ color: ["red"], rooms: [2], area: [5], y: [0] }));
    expect(matrix.names).toEqual(["color=blue", "color=red", "rooms=1", "rooms=2", "rooms=3", "area"]);
    expect(rowsOf(matrix)).toEqual([[0, 1, 0, 1, 0, 5]]);
  });

  it("encodes unseen and missing categories as all zeros by default", () => {
    const encoder = new OneHotEncoder();
    encoder.fit(train);
    const test = dataset({ color: ["green", null], rooms: [1, 1], area: [1, 1], y: [0, 0] });
    expect(rowsOf(encoder.transform(test)).map((row) => row.slice(0, 2))).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it("stops on an unseen category with handleUnknown: error, naming column, value, row and the fix", async () => {
    const encoder = new OneHotEncoder({ handleUnknown: "error" });
    encoder.fit(train);
    const missingOnly = dataset({ color: [null, "red"], rooms: [1, 1], area: [1, 1], y: [0, 0] });
    expect(rowsOf(encoder.transform(missingOnly))[0].slice(0, 2)).toEqual([0, 0]); // missing is not unknown
    const error = await errorOf(() => encoder.transform(dataset({ color: ["red", "green"], rooms: [1, 1], area: [1, 1], y: [0, 0] })));
    expect(error.code).toBe("invalid_data");
    expect(error.message).toContain('Column "color" holds the category "green" (row 2)');
    expect(error.message).toMatch(/"handleUnknown" to "ignore"/);
  });

  it("keeps the most frequent categories under maxCategories and groups the rest, unseen ones included, as (other)", () => {
    const encoder = new OneHotEncoder({ maxCategories: 3 });
    const data = dataset({ kind: ["a", "a", "a", "b", "b", "c", "d"], y: [0, 0, 0, 0, 0, 0, 0] });
    encoder.fit(data);
    const test = dataset({ kind: ["a", "b", "c", "d", "zzz", null], y: [0, 0, 0, 0, 0, 0] });
    const matrix = encoder.transform(test);
    expect(matrix.names).toEqual(["kind=a", "kind=b", "kind=(other)"]);
    expect(rowsOf(matrix)).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 0],
    ]);
  });

  it("restores its fitted state in a fresh instance", () => {
    const params = { columns: ["rooms"], maxCategories: 2 };
    const encoder = new OneHotEncoder(params);
    encoder.fit(train);
    expect(sameMatrix(restored(OneHotEncoder, params, encoder).transform(train), encoder.transform(train))).toBe(true);
  });

  it("rejects unknown column names (with a suggestion) and the target", async () => {
    const typo = await errorOf(() => new OneHotEncoder({ columns: ["room"] }).fit(train));
    expect(typo.code).toBe("invalid_params");
    expect(typo.message).toContain('lists "room", which is not a column of the dataset. Did you mean "rooms"?');
    const target = await errorOf(() => new OneHotEncoder({ columns: ["y"] }).fit(train));
    expect(target.message).toMatch(/is the target column/);
    expect((await errorOf(() => new OneHotEncoder({ maxCategories: 1 }))).message).toMatch(/"maxCategories" must be at least 2/);
  });
});
