import { describe, expect, it } from "vitest";
import { mayHoldFacts, parseSource } from "../../../src/server/parse/parseSource";

const parse = (text: string, name = "/ws/a.ts") => parseSource(name, text);
const at = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

describe("parseSource", () => {
  it("collects ES imports (named, aliased, default, namespace) and exports (local, re-exported, star)", () => {
    const facts = parse(`import D, { Model as M, param } from "mlexp";
import * as lib from "./lib";
export { A as B } from "./a";
export * from "./all";
export * as ns from "./ns";
export class C {}
export default class Dflt {}
const x = 1;
export { x as y };`);
    expect([...facts.imports.values()]).toEqual([
      { local: "D", module: "mlexp", imported: "default" },
      { local: "M", module: "mlexp", imported: "Model" },
      { local: "param", module: "mlexp", imported: "param" },
      { local: "lib", module: "./lib", imported: "*" },
    ]);
    expect(facts.exports).toEqual([
      { exported: "B", module: "./a", imported: "A" },
      { exported: "*", module: "./all" },
      { exported: "ns", module: "./ns", imported: "*" },
      { exported: "C", local: "C" },
      { exported: "default", local: "Dflt" },
      { exported: "y", local: "x" },
    ]);
  });

  it("reads CommonJS requires and exports", () => {
    const facts = parse(`const { DataAccessObject: Base, param } = require("mlexp");
const lib = require("./lib");
class A extends Base {}
module.exports = { A, Other: A };
exports.Third = A;`, "/ws/a.js");
    expect(facts.imports.get("Base")).toEqual({ local: "Base", module: "mlexp", imported: "DataAccessObject" });
    expect(facts.imports.get("lib")).toEqual({ local: "lib", module: "./lib", imported: "*" });
    expect(facts.exports.map((e) => `${e.exported}=${e.local}`)).toEqual(["A=A", "Other=A", "Third=A"]);
  });

  it("describes classes: base, abstractness, static params (inline, spread, constant), description and task", () => {
    const text = `import { Model, param as p } from "mlexp";
export abstract class Base extends Model {}
export class M extends lib.Base {
  static override readonly params = {
    ...Base.params,
    rate: p.number({ default: 0.1, min: 0, max: 1, description: "Step" }),
    depth: p.integer({ required: true }),
    kind: p.string({ default: "a", choices: ["a", "b"] }),
    sizes: p.numberArray({ default: [1, 2], integer: true }),
    raw: { type: "boolean", default: false },
    computed: p.number({ default: SOME_CONSTANT }),
  } as const;
  static override readonly description = "A model";
  static override readonly task = "regression";
}
class Plain { static params = specs; }`;
    const facts = parse(text);
    const base = facts.classes.get("Base");
    expect(base?.isAbstract).toBe(true);
    expect(base?.base).toMatchObject({ name: "Model" });
    const model = facts.classes.get("M");
    expect(model?.base).toMatchObject({ name: "lib", member: "Base" });
    expect(model?.description).toBe("A model");
    expect(model?.task).toBe("regression");
    expect(at(text, model?.nameSpan ?? { start: 0, end: 0 })).toBe("M");
    expect(model?.params?.kind).toBe("object");
    const entries = model?.params?.kind === "object" ? model.params.entries : [];
    expect(entries[0]).toMatchObject({ kind: "spread", ref: { name: "Base", member: "params" } });
    const params = entries.flatMap((e) => (e.kind === "param" ? [e.param] : []));
    expect(params.map(({ span: _span, ...rest }) => rest)).toEqual([
      { name: "rate", type: "number", default: 0.1, required: false, description: "Step", min: 0, max: 1 },
      { name: "depth", type: "integer", required: true },
      { name: "kind", type: "string", default: "a", required: false, choices: ["a", "b"] },
      { name: "sizes", type: "integer[]", default: [1, 2], required: false },
      { name: "raw", type: "boolean", default: false, required: false },
      { name: "computed", type: "number", required: false },
    ]);
    expect(facts.classes.get("Plain")?.params).toMatchObject({ kind: "ref", ref: { name: "specs" } });
  });

  it("finds registrations, with names from literals or constants, and register(Cls, name?)", () => {
    const text = `import { register, registerModel as rm } from "mlexp";
const NAME = "Named";
rm("Lit", A);
rm(NAME, B);
rm(\`Tpl\`, C);
rm(makeName(), D);
register(E);
register(F, "Fee");`;
    const facts = parse(text);
    expect(facts.registrations.map((r) => [r.fn, r.kind, r.name?.value, r.nameComputed, r.cls?.name, r.calleeIsName])).toEqual([
      ["registerModel", "model", "Lit", false, "A", false],
      ["registerModel", "model", "Named", false, "B", false],
      ["registerModel", "model", "Tpl", false, "C", false],
      ["registerModel", "model", undefined, true, "D", false],
      ["register", undefined, undefined, false, "E", true],
      ["register", undefined, "Fee", false, "F", true],
    ]);
    expect(at(text, facts.registrations[0].name?.span ?? { start: 0, end: 0 })).toBe("Lit");
    expect(facts.registrations[1].name?.viaConstant).toBe(true);
  });

  it("ignores a local function that happens to be called register, and methods", () => {
    const facts = parse(`function register(x: unknown) {}
register(A);
registry.register("model", "X", A);
this.getModel("Y");`);
    expect(facts.registrations).toEqual([]);
    expect(facts.lookups).toEqual([]);
  });

  it("finds lookups and trainModel calls with their names and parameter keys", () => {
    const text = `import * as mlexp from "mlexp";
mlexp.getFeatureGenerator("FG");
await mlexp.trainModel({
  modelClass: mlexp.getModel("M"),
  modelParams: { a: 1, "b": [1, 2], ...rest },
  featureGeneratorClass: "FG2",
  datasetClass: getDataAccessObject("D"),
  datasetParams: {},
});`;
    const facts = parse(text);
    expect(facts.lookups.map((l) => `${l.kind}:${l.name.value}`).sort()).toEqual(["dataAccessObject:D", "featureGenerator:FG", "featureGenerator:FG2", "model:M"]);
    const [train] = facts.trainCalls;
    expect(train.choices.model.name?.value).toBe("M");
    expect(train.choices.model.params?.keys.map((k) => k.name)).toEqual(["a", "b"]);
    expect(train.choices.model.params?.complete).toBe(false);
    expect(train.choices.featureGenerator.name?.value).toBe("FG2");
    expect(train.choices.dataAccessObject.params).toMatchObject({ keys: [], complete: true });
  });

  it("keeps an unterminated string being typed as a lookup", () => {
    const text = `getModel("Cen`;
    const [lookup] = parse(text).lookups;
    expect(lookup.name.value).toBe("Cen");
    expect(at(text, lookup.name.span)).toBe("Cen");
  });

  it("pre-filters files that cannot hold components, registrations or lookups", () => {
    expect(mayHoldFacts(`export const x = 1;`)).toBe(false);
    expect(mayHoldFacts(`export { A } from "./a";`)).toBe(false);
    expect(mayHoldFacts(`class A extends B {}`)).toBe(true);
    expect(mayHoldFacts(`import { registerModel as rm } from "mlexp";`)).toBe(true);
    expect(mayHoldFacts(`getDataAccessObject("x")`)).toBe(true);
  });
});
