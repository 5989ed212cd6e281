import { describe, expect, it } from "vitest";
import { PolynomialFeatures } from "../../../src/core/builtins/features/polynomialFeatures";
import { countTerms, polynomialTerms } from "../../../src/core/builtins/features/shared/polynomialTerms";
import { errorOf } from "../datasets/helpers";
import { dataset, restored, rowsOf, sameMatrix } from "./helpers";

const train = dataset({ x0: [1, 2, null], x1: [3, 4, 5], color: ["a", "b", "a"], y: [0, 1, 0] });

describe("PolynomialFeatures", () => {
  it("makes every product up to degree 2, then appends the one-hot text columns", () => {
    const poly = new PolynomialFeatures();
    poly.fit(train);
    const matrix = poly.transform(train);
    expect(matrix.names).toEqual(["x0", "x1", "x0^2", "x0*x1", "x1^2", "color=a", "color=b"]);
    expect(rowsOf(matrix)).toEqual([
      [1, 3, 1, 3, 9, 1, 0],
      [2, 4, 4, 8, 16, 0, 1],
      [1.5, 5, 2.25, 7.5, 25, 1, 0], // missing x0 → training mean 1.5
    ]);
  });

  it("supports interactionOnly, includeBias and higher degrees", () => {
    const interactions = new PolynomialFeatures({ interactionOnly: true, includeBias: true });
    interactions.fit(train);
    const matrix = interactions.transform(train);
    expect(matrix.names).toEqual(["1", "x0", "x1", "x0*x1", "color=a", "color=b"]);
    expect(rowsOf(matrix)[1]).toEqual([1, 2, 4, 8, 0, 1]);
    const cubic = new PolynomialFeatures({ degree: 3 });
    cubic.fit(train);
    const cubicMatrix = cubic.transform(train);
    expect(cubicMatrix.names.slice(5, 9)).toEqual(["x0^3", "x0^2*x1", "x0*x1^2", "x1^3"]);
    expect(rowsOf(cubicMatrix)[1].slice(5, 9)).toEqual([8, 16, 32, 64]);
  });

  it("counts its terms as scikit-learn does", () => {
    expect(countTerms(3, 3, false)).toBe(3 + 6 + 10);
    expect(countTerms(4, 2, true)).toBe(4 + 6);
    for (const [n, d, only] of [[3, 3, false], [5, 4, true], [6, 2, false]] as const) {
      expect(polynomialTerms(Array.from({ length: n }, (_, j) => `x${j}`), d, only).names.length).toBe(countTerms(n, d, only));
    }
  });

  it("refuses to make more than 10,000 columns and suggests what to change", async () => {
    const wide = dataset({ ...Object.fromEntries(Array.from({ length: 200 }, (_, j) => [`f${j}`, [j, j + 1]])), y: [0, 1] });
    const error = await errorOf(() => new PolynomialFeatures().fit(wide));
    expect(error.message).toContain("would make 20,300 feature columns from 200 numeric columns at degree 2");
    expect(error.message).toMatch(/interactionOnly/);
    expect(() => new PolynomialFeatures({ degree: 1 }).fit(wide)).not.toThrow();
  });

  it("restores its fitted state in a fresh instance", () => {
    const params = { degree: 3, includeBias: true };
    const poly = new PolynomialFeatures(params);
    poly.fit(train);
    expect(sameMatrix(restored(PolynomialFeatures, params, poly).transform(train), poly.transform(train))).toBe(true);
  });

  it("only accepts degrees 1 to 4", async () => {
    expect((await errorOf(() => new PolynomialFeatures({ degree: 5 }))).message).toMatch(/"degree" must be at most 4/);
  });
});
