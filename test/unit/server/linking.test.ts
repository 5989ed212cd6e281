import { describe, expect, it } from "vitest";
import { file, workspace } from "./helpers";

const kindOf = (files: Record<string, string>, relative: string, className: string) => {
  const { linked } = workspace(files);
  const cls = linked.factsOf(file(relative))?.classes.get(className);
  if (!cls) throw new Error(`no class ${className}`);
  return linked.linkedClass(file(relative), cls).kind;
};

describe("linking classes across files", () => {
  it("follows intermediate base classes through imports, aliases, namespaces, barrels and .js specifiers", () => {
    const files = {
      "base.ts": `import { Model as M } from "mlexp";\nexport abstract class Tabular extends M {}`,
      "mid.ts": `import * as b from "./base";\nexport class Mid extends b.Tabular {}`,
      "barrel/index.ts": `export { Mid as Middle } from "../mid";\nexport * from "../other";`,
      "other.ts": `import { FeatureGenerator } from "mlexp";\nexport class Feat extends FeatureGenerator {}`,
      "leaf.ts": `import { Middle, Feat } from "./barrel";\nimport { Tabular } from "./base.js";\nexport class Leaf extends Middle {}\nexport class F2 extends Feat {}\nexport class T2 extends Tabular {}`,
    };
    expect(kindOf(files, "leaf.ts", "Leaf")).toEqual({ kind: "model", chain: ["Leaf", "Mid", "Tabular", "M"] });
    expect(kindOf(files, "leaf.ts", "F2")).toEqual({ kind: "featureGenerator", chain: ["F2", "Feat", "FeatureGenerator"] });
    expect(kindOf(files, "leaf.ts", "T2").kind).toBe("model");
  });

  it("handles a project module re-exporting mlexp, default exports and CommonJS", () => {
    const files = {
      "lib.ts": `export * from "mlexp";\nexport * from "./more";`,
      "more.ts": `export const helper = 1;`,
      "dflt.ts": `import { DataAccessObject } from "./lib";\nexport default class Data extends DataAccessObject {}`,
      "use.ts": `import Data from "./dflt";\nexport class Sub extends Data {}`,
      "cjs.js": `const mlexp = require("mlexp");\nclass J extends mlexp.Model {}\nmodule.exports = { J };`,
      "usecjs.ts": `import { J } from "./cjs";\nclass K extends J {}`,
    };
    expect(kindOf(files, "use.ts", "Sub").kind).toBe("dataAccessObject");
    expect(kindOf(files, "usecjs.ts", "K").kind).toBe("model");
  });

  it("knows a subclass of a built-in and inherits its parameters", () => {
    const files = { "a.ts": `import { LogisticRegression, registerModel } from "mlexp";\nclass Tuned extends LogisticRegression {}\nregisterModel("Tuned", Tuned);` };
    const { linked } = workspace(files);
    const entry = linked.registryOf(file("a.ts")).get("model", "Tuned");
    expect(entry?.params.complete).toBe(true);
    expect(entry?.params.params.map((p) => p.name)).toContain("learningRate");
    expect(entry?.description).toMatch(/Logistic regression/);
  });

  it("says 'none' for classes that extend nothing known to be a component, 'unknown' for other packages and cycles", () => {
    const files = {
      "a.ts": `class Plain {}\nclass Sub extends Plain {}\nimport { Base } from "some-package";\nclass Ext extends Base {}\nclass Err extends Error {}`,
      "cycle.ts": `import { B } from "./cycle2";\nexport class A extends B {}`,
      "cycle2.ts": `import { A } from "./cycle";\nexport class B extends A {}`,
    };
    expect(kindOf(files, "a.ts", "Sub")).toEqual({ kind: "none", chain: ["Sub", "Plain"] });
    expect(kindOf(files, "a.ts", "Ext").kind).toBe("unknown");
    expect(kindOf(files, "a.ts", "Err").kind).toBe("unknown");
    expect(kindOf(files, "cycle.ts", "A").kind).toBe("unknown");
  });

  it("resolves parameters: inherited, spread from a base class, from an imported constant, later keys winning", () => {
    const files = {
      "specs.ts": `import { param } from "mlexp";\nexport const shared = { a: param.number({ default: 1 }), b: param.number({ default: 2 }) };`,
      "base.ts": `import { Model, param } from "mlexp";\nimport { shared } from "./specs";\nexport class Base extends Model { static params = shared; }`,
      "leaf.ts": `import { param, registerModel } from "mlexp";\nimport { Base } from "./base";\nclass Inherits extends Base {}\nclass Spreads extends Base { static params = { ...Base.params, b: param.string({ default: "x" }), c: param.boolean({}) }; }\nclass Unknown extends Base { static params = { ...fromSomewhere() }; }\nregisterModel("Inherits", Inherits);\nregisterModel("Spreads", Spreads);\nregisterModel("Unknown", Unknown);`,
    };
    const registry = workspace(files).linked.registryOf(file("leaf.ts"));
    expect(registry.get("model", "Inherits")?.params.params.map((p) => p.name)).toEqual(["a", "b"]);
    const spreads = registry.get("model", "Spreads")?.params;
    expect(spreads?.params.map((p) => `${p.name}:${p.type}`)).toEqual(["a:number", "b:string", "c:boolean"]);
    expect(spreads?.params[0].location?.file).toBe(file("specs.ts"));
    expect(registry.get("model", "Unknown")?.params.complete).toBe(false);
  });

  it("does not loop on constants that spread each other", () => {
    const files = { "a.ts": `import { Model, registerModel } from "mlexp";\nconst x = { ...y };\nconst y = { ...x };\nclass M extends Model { static params = x; }\nregisterModel("M", M);` };
    expect(workspace(files).linked.registryOf(file("a.ts")).get("model", "M")?.params.complete).toBe(false);
  });
});

describe("registries per mlexp workspace", () => {
  it("keeps the registrations of two configs apart, built-ins in both", () => {
    const files = {
      "app/mlexp.config.ts": `import { registerModel, Model } from "mlexp";\nclass A extends Model {}\nregisterModel("A", A);`,
      "app/src/x.ts": `getModel("A");`,
      "lab/mlexp.config.ts": `import { registerModel, Model } from "mlexp";\nclass B extends Model {}\nregisterModel("B", B);`,
    };
    const { linked } = workspace(files);
    const app = linked.registryOf(file("app/src/x.ts"));
    expect(app.project.root).toBe(file("app"));
    expect(app.names("model")).toContain("A");
    expect(app.names("model")).not.toContain("B");
    expect(app.names("model")).toContain("LogisticRegression");
    expect(linked.registryOf(file("lab/mlexp.config.ts")).names("model")).toContain("B");
  });

  it("registers register(Cls) under the class's declared name and kind", () => {
    const files = { "mlexp.config.ts": `import { register } from "mlexp";\nimport { Local as Renamed } from "./f";\nregister(Renamed);\nregister(Renamed, "Other");`, "f.ts": `import { FeatureGenerator } from "mlexp";\nexport class Local extends FeatureGenerator {}` };
    const registry = workspace(files).linked.registryOf(file("mlexp.config.ts"));
    expect(registry.get("featureGenerator", "Local")?.className).toBe("Local");
    expect(registry.get("featureGenerator", "Other")?.declaration?.file).toBe(file("f.ts"));
  });
});
