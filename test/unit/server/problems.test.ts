import { describe, expect, it } from "vitest";
import { problemsOf } from "../../../src/server/features/diagnostics";
import { file, workspace } from "./helpers";

const CONFIG = `import { register, registerFeatureGenerator, registerModel } from "mlexp";
import { Centroid, Scaler, Plain } from "./components";
registerModel("Centroid", Centroid);
registerFeatureGenerator("Scaler", Scaler);
`;

const COMPONENTS = `import { FeatureGenerator, Model, param } from "mlexp";
export class Centroid extends Model { static params = { shrinkage: param.number({ default: 0.1 }), temperature: param.number({ default: 1 }) }; }
export class Scaler extends FeatureGenerator {}
export class Plain {}
`;

function problems(extra: Record<string, string>, target: string) {
  const { linked, table } = workspace({ "mlexp.config.ts": CONFIG, "components.ts": COMPONENTS, ...extra });
  return problemsOf(linked, table, file(target)).map((p) => ({ ...p, text: table.get(file(target))?.text.slice(p.span.start, p.span.end) }));
}

describe("diagnostics", () => {
  it("reports an unknown name in a lookup with the closest registered name as a fix", () => {
    const [problem, ...rest] = problems({ "train.ts": `getModel("Centriod");\ngetModel("Centroid");\ngetModel("");` }, "train.ts");
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ code: "unknown-name", severity: "error", text: "Centriod" });
    expect(problem.message).toBe(
      'Unknown model "Centriod". Did you mean "Centroid"? Registered models: LogisticRegression, LogisticRegressionTfjs, MLPClassifierTfjs, LinearRegression, RandomForestClassifier, Centroid.',
    );
    expect(problem.fix).toEqual({ title: 'Change to "Centroid"', edits: [{ span: problem.span, newText: "Centroid" }] });
  });

  it("checks names given to trainModel as strings, and knows built-ins", () => {
    const found = problems({ "train.ts": `trainModel({ modelClass: "LogisticRegresion", featureGeneratorClass: "StandardScaler", datasetClass: "CsvFile" });` }, "train.ts");
    expect(found.map((p) => p.message)).toEqual([expect.stringMatching(/^Unknown model "LogisticRegresion"\. Did you mean "LogisticRegression"\?/)]);
  });

  it("only warns when some registrations of that kind have computed names", () => {
    const found = problems({ "more.ts": `import { registerModel } from "mlexp";\nregisterModel(nameOf(x), X);`, "train.ts": `getModel("Nope");` }, "train.ts");
    expect(found).toMatchObject([{ code: "unknown-name", severity: "warning" }]);
    expect(found[0].message).toMatch(/computed names/);
  });

  it("reports a name registered twice at both places, and a built-in's name taken", () => {
    const config = `${CONFIG}import { Other } from "./other";\nregisterModel("Centroid", Other);\nregisterModel("Centroid", Centroid);\nregisterModel("LinearRegression", Centroid);\n`;
    const found = problems({ "mlexp.config.ts": config, "other.ts": `import { Model } from "mlexp";\nexport class Other extends Model {}` }, "mlexp.config.ts");
    expect(found.map((p) => [p.code, p.message])).toEqual([
      ["duplicate-name", 'The model name "Centroid" is registered twice: class Centroid here and class Other at mlexp.config.ts:6. The second registration fails when the workspace loads; give one of them another name.'],
      ["duplicate-name", 'The model name "Centroid" is registered twice: class Other here and class Centroid at mlexp.config.ts:3. The second registration fails when the workspace loads; give one of them another name.'],
      ["duplicate-name", 'The model name "Centroid" is registered twice: class Centroid here and class Other at mlexp.config.ts:6. The second registration fails when the workspace loads; give one of them another name.'],
      ["duplicate-name", 'The model name "LinearRegression" is taken by the built-in model LinearRegression: registering class Centroid under it fails when the workspace loads. Choose another name.'],
    ]);
  });

  it("allows registering a built-in class again under its own name, or under another", () => {
    const config = `${CONFIG}import { LogisticRegression } from "mlexp";\nregister(LogisticRegression);\nregisterModel("LR", LogisticRegression);\n`;
    expect(problems({ "mlexp.config.ts": config }, "mlexp.config.ts")).toEqual([]);
  });

  it("reports a class registered as a kind it does not extend, with a fix to the right function", () => {
    const config = `${CONFIG}registerModel("ScalerModel", Scaler);\nregisterModel("PlainModel", Plain);\nregister(Plain);\n`;
    const found = problems({ "mlexp.config.ts": config }, "mlexp.config.ts");
    expect(found.map((p) => [p.code, p.text, p.message])).toEqual([
      ["wrong-kind", "Scaler", "Class Scaler is a feature generator (Scaler → FeatureGenerator), not a model: registerModel refuses it. Use registerFeatureGenerator(…) or register(Scaler)."],
      ["wrong-kind", "Plain", "Class Plain extends none of Model, FeatureGenerator, DataAccessObject (Plain), so it cannot be registered as a model. Declare it as `class Plain extends Model`."],
      ["wrong-kind", "Plain", "Class Plain extends none of Model, FeatureGenerator, DataAccessObject (Plain), so it cannot be registered. Declare it as `class Plain extends Model, FeatureGenerator or DataAccessObject`."],
    ]);
    expect(found[0].fix?.edits[0].newText).toBe("registerFeatureGenerator");
  });

  it("rejects a name the registry would refuse", () => {
    const found = problems({ "mlexp.config.ts": `${CONFIG}registerModel("my model", Centroid);\n` }, "mlexp.config.ts");
    expect(found.map((p) => p.code)).toEqual(["invalid-name"]);
  });

  it("reports modelParams keys the model does not declare, with did-you-mean", () => {
    const train = `trainModel({ modelClass: getModel("Centroid"), modelParams: { shrinkag: 1, temperature: 2, zzz: 3 }, featureGeneratorClass: "Scaler", featureGeneratorParams: { clip: 1 }, datasetClass: "CsvFile", datasetParams: { path: "x" } });`;
    const found = problems({ "train.ts": train }, "train.ts");
    expect(found.map((p) => [p.text, p.message])).toEqual([
      ["shrinkag", 'The model "Centroid" has no parameter "shrinkag". Did you mean "shrinkage"? It takes: shrinkage, temperature.'],
      ["zzz", 'The model "Centroid" has no parameter "zzz". It takes: shrinkage, temperature.'],
      ["clip", 'The feature generator "Scaler" has no parameter "clip". It takes no parameters.'],
    ]);
    expect(found[0].fix?.edits[0].newText).toBe("shrinkage");
  });

  it("stays quiet about parameters it cannot see completely", () => {
    const files = { "m.ts": `import { Model, registerModel } from "mlexp";\nclass Open extends Model { static params = { ...elsewhere }; }\nregisterModel("Open", Open);`, "train.ts": `trainModel({ modelClass: "Open", modelParams: { anything: 1 }, datasetClass: "CsvFile" });` };
    expect(problems(files, "train.ts")).toEqual([]);
  });
});
