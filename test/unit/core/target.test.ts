import { describe, expect, it } from "vitest";
import type { Column } from "../../../src/core/data/dataset";
import { encodeTarget, type Label } from "../../../src/core/training/target";

/** The encoding as a Set and a Map define it: distinct labels sorted, each row its label's index. */
function reference(values: readonly Label[]): { classes: Label[]; y: number[] } {
  const distinct = [...new Set(values)];
  const classes = typeof distinct[0] === "number" ? (distinct as number[]).sort((a, b) => a - b) : (distinct as string[]).sort();
  const index = new Map<Label, number>(classes.map((label, i) => [label, i]));
  return { classes, y: values.map((value) => index.get(value) as number) };
}

const numbers = (values: number[]): Column => ({ name: "target", kind: "number", values: Float64Array.from(values) });

describe("classification target encoding", () => {
  it("gives numeric classes in sorted order and each row its class's index, as a Set and a Map would", () => {
    const values = Array.from({ length: 1000 }, (_, i) => [5, -2, 3.5][(i * 7) % 3]);
    const encoded = encodeTarget(numbers(values), "classification");
    const expected = reference(values);
    expect(encoded.classes).toEqual([-2, 3.5, 5]);
    expect(encoded.classes).toEqual(expected.classes);
    expect(Array.from(encoded.y)).toEqual(expected.y);
  });

  it("counts -0 and 0 as one class, recorded as 0", () => {
    const encoded = encodeTarget(numbers([-0, 1, 0, 1, -0]), "classification");
    expect(encoded.classes).toHaveLength(2);
    expect(Object.is(encoded.classes[0], 0)).toBe(true);
    expect(Array.from(encoded.y)).toEqual([0, 1, 0, 1, 0]);
  });

  it("encodes many numeric classes (past the short-array path) the same way", () => {
    const values = Array.from({ length: 5000 }, (_, i) => (i * 37) % 100);
    const encoded = encodeTarget(numbers(values), "classification");
    const expected = reference(values);
    expect(encoded.classes).toHaveLength(100);
    expect(encoded.classes).toEqual(expected.classes);
    expect(Array.from(encoded.y)).toEqual(expected.y);
  });

  it("encodes text labels in sorted order", () => {
    const values = ["b", "a", "c", "a", "b"];
    const encoded = encodeTarget({ name: "target", kind: "string", values }, "classification");
    expect(encoded.classes).toEqual(["a", "b", "c"]);
    expect(Array.from(encoded.y)).toEqual(reference(values).y);
  });

  it("still refuses a missing value in a numeric target", () => {
    expect(() => encodeTarget(numbers([0, 1, Number.NaN]), "classification")).toThrow('The target column "target" has 1 missing value(s).');
  });
});
