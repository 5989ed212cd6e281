import { describe, expect, it } from "vitest";
import { describeParams, param, resolveParams } from "../../../src/core/components/params";
import { parseSearchSpace, resolveSearchSettings, candidates } from "../../../src/core/training/search";
import { Rng } from "../../../src/core/util/random";

const specs = {
  learningRate: param.number({ default: 0.1, min: 0, exclusiveMin: true }),
  epochs: param.integer({ default: 10, min: 1 }),
  hiddenUnits: param.numberArray({ default: [8], integer: true, min: 1, minLength: 1 }),
  activation: param.string({ default: "relu", choices: ["relu", "tanh"] }),
  path: param.string({ required: true }),
};
const owner = { kind: "model", name: "Example" };

describe("resolveParams", () => {
  it("fills in defaults and keeps given values", () => {
    const resolved = resolveParams(specs, { path: "a.csv", epochs: 3 }, owner);
    expect(resolved).toEqual({ learningRate: 0.1, epochs: 3, hiddenUnits: [8], activation: "relu", path: "a.csv" });
  });

  it("does not share default arrays between instances", () => {
    const a = resolveParams(specs, { path: "a" }, owner);
    (a.hiddenUnits as number[]).push(99);
    expect(resolveParams(specs, { path: "b" }, owner).hiddenUnits).toEqual([8]);
  });

  it("names an unknown parameter and suggests the closest one", () => {
    expect(() => resolveParams(specs, { path: "a", learningrate: 0.2 }, owner)).toThrow(
      /model "Example".*no parameter "learningrate"\. Did you mean "learningRate"\?.*It takes: learningRate, epochs/,
    );
  });

  it.each([
    [{ path: "a", learningRate: 0 }, /"learningRate" must be greater than 0, got 0/],
    [{ path: "a", learningRate: "fast" }, /"learningRate" must be a number, got "fast"/],
    [{ path: "a", epochs: 2.5 }, /"epochs" must be a whole number/],
    [{ path: "a", hiddenUnits: 16 }, /"hiddenUnits" must be an array of whole numbers/],
    [{ path: "a", hiddenUnits: [] }, /"hiddenUnits" must hold at least 1 value/],
    [{ path: "a", activation: "sigmoid" }, /"activation" must be one of relu, tanh/],
    [{}, /"path" is required/],
  ])("rejects %j", (given, message) => {
    expect(() => resolveParams(specs, given, owner)).toThrow(message);
  });

  it("rejects parameters that are not an object", () => {
    expect(() => resolveParams(specs, [1, 2], owner)).toThrow(/must be an object/);
  });

  it("describes parameters as data", () => {
    const described = describeParams(specs);
    expect(described.find((p) => p.name === "epochs")).toEqual({ name: "epochs", type: "integer", default: 10, required: false, min: 1 });
    expect(described.find((p) => p.name === "path")?.required).toBe(true);
  });
});

describe("search space", () => {
  it("treats an array for a scalar parameter, or an array of arrays for an array parameter, as values to search", () => {
    const space = parseSearchSpace(specs, { path: "a", learningRate: [0.1, 0.01], hiddenUnits: [[8], [16, 8]], epochs: 5 }, owner);
    expect(space.fixed).toEqual({ path: "a", epochs: 5 });
    expect(space.axes).toEqual([
      { name: "learningRate", values: [0.1, 0.01] },
      { name: "hiddenUnits", values: [[8], [16, 8]] },
    ]);
    const settings = resolveSearchSettings(undefined, space);
    expect(settings).toEqual({ strategy: "grid", trials: 4, cv: 3 });
    expect(candidates(space, settings, new Rng(1))).toEqual([
      { path: "a", epochs: 5, learningRate: 0.1, hiddenUnits: [8] },
      { path: "a", epochs: 5, learningRate: 0.1, hiddenUnits: [16, 8] },
      { path: "a", epochs: 5, learningRate: 0.01, hiddenUnits: [8] },
      { path: "a", epochs: 5, learningRate: 0.01, hiddenUnits: [16, 8] },
    ]);
  });

  it("keeps a plain array for an array parameter as one value", () => {
    const space = parseSearchSpace(specs, { path: "a", hiddenUnits: [16, 8] }, owner);
    expect(space.axes).toEqual([]);
    expect(space.fixed.hiddenUnits).toEqual([16, 8]);
  });

  it("validates every search value", () => {
    expect(() => parseSearchSpace(specs, { path: "a", learningRate: [0.1, -1] }, owner)).toThrow(/"learningRate" must be greater than 0, got -1 in its search values/);
    expect(() => parseSearchSpace(specs, { path: "a", epochs: [] }, owner)).toThrow(/empty list/);
  });

  it("samples distinct combinations for a random search, the same ones for the same seed", () => {
    const space = parseSearchSpace(specs, { path: "a", learningRate: [0.1, 0.2, 0.3, 0.4], epochs: [1, 2, 3] }, owner);
    const settings = resolveSearchSettings({ strategy: "random", trials: 5 }, space);
    const first = candidates(space, settings, new Rng(7));
    expect(first).toHaveLength(5);
    expect(new Set(first.map((c) => JSON.stringify(c))).size).toBe(5);
    expect(candidates(space, settings, new Rng(7))).toEqual(first);
  });

  it("rejects bad search settings", () => {
    const space = parseSearchSpace(specs, { path: "a", epochs: [1, 2] }, owner);
    expect(() => resolveSearchSettings({ cv: 1 }, space)).toThrow(/folds must be 0/);
    expect(() => resolveSearchSettings({ strategy: "random", trials: 0 }, space)).toThrow(/trials must be a whole number/);
    expect(() => resolveSearchSettings({ strategy: "bayes" as "grid" }, space)).toThrow(/Unknown search strategy "bayes"/);
  });
});
