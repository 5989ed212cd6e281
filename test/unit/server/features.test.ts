import { describe, expect, it } from "vitest";
import { quickFixes } from "../../../src/server/features/codeActions";
import { codeLenses } from "../../../src/server/features/codeLens";
import { completion } from "../../../src/server/features/completion";
import { definition } from "../../../src/server/features/definition";
import { problemsOf } from "../../../src/server/features/diagnostics";
import { hover } from "../../../src/server/features/hover";
import { rangeOf } from "../../../src/server/util/positions";
import { pathToUri } from "../../../src/server/util/uris";
import { file, offsetOf, ROOT, workspace } from "./helpers";

const FILES = {
  "mlexp.config.ts": `import { registerDataAccessObject, registerFeatureGenerator, registerModel } from "mlexp";
import { Centroid, Scaler, Rows } from "./components";
registerModel("Centroid", Centroid);
registerFeatureGenerator("Scaler", Scaler);
registerDataAccessObject("Rows", Rows);
`,
  "components.ts": `import { DataAccessObject, FeatureGenerator, Model, param } from "mlexp";
export abstract class Base extends Model {}
export class Centroid extends Base {
  static params = { shrinkage: param.number({ default: 0.1, min: 0, max: 1, description: "Pull to the mean" }), temperature: param.number({ default: 1 }) };
  static description = "Nearest centroid";
}
export class Scaler extends FeatureGenerator {}
export class Rows extends DataAccessObject {}
export class Unregistered extends Base {}
`,
  "train.ts": `trainModel({ modelClass: getModel("Centroid"), modelParams: { shrinkage: 1,  }, datasetClass: "Rows" });
getModel("");
getModel("Centriod");
`,
};

const RUNS = { Centroid: { count: 3, best: { metric: "accuracy", value: 0.91234, runId: "r" } } };

describe("language features", () => {
  const { context, table } = workspace(FILES, RUNS);
  const train = file("train.ts");
  const trainText = FILES["train.ts"];

  it("completes registered names of the lookup's kind, the workspace's first, replacing the whole string", () => {
    const items = completion(context, train, offsetOf(trainText, 'getModel("")', 10));
    expect(items.map((i) => i.label)).toEqual(["LogisticRegression", "LogisticRegressionTfjs", "MLPClassifierTfjs", "LinearRegression", "RandomForestClassifier", "Centroid"]);
    const centroid = items.find((i) => i.label === "Centroid");
    expect(centroid?.detail).toBe("model · shrinkage, temperature");
    expect(centroid?.sortText?.startsWith("0")).toBe(true);
    const dataset = completion(context, train, offsetOf(trainText, '"Rows"', 2)).map((i) => i.label);
    expect(dataset).toContain("Rows");
    expect(dataset).not.toContain("Centroid");
  });

  it("completes the model's parameters inside modelParams, leaving out those given", () => {
    const items = completion(context, train, offsetOf(trainText, "shrinkage: 1, ", 14));
    expect(items.map((i) => i.label)).toEqual(["temperature"]);
    expect(items[0].insertText).toBe("temperature: ${1:1}");
  });

  it("hovers a name with its parameters and runs, and a class with its registration", () => {
    const onName = hover(context, train, offsetOf(trainText, '"Centroid"', 3));
    const text = onName && typeof onName.contents === "object" && "value" in onName.contents ? onName.contents.value : "";
    expect(text).toContain("**Centroid** — model · classification · class `Centroid` in `components.ts`");
    expect(text).toContain("| `shrinkage` | number | `0.1` | Pull to the mean · 0 … 1 |");
    expect(text).toContain("Runs: 3 runs · best accuracy 0.9123");
    const components = FILES["components.ts"];
    const onBase = hover(context, file("components.ts"), offsetOf(components, "class Base", 7));
    expect(JSON.stringify(onBase?.contents)).toContain("model base class (Base → Model)");
  });

  it("goes from a name to its class", () => {
    const location = definition(context, train, offsetOf(trainText, '"Centroid"', 3));
    const components = table.get(file("components.ts"));
    const start = offsetOf(FILES["components.ts"], "Centroid extends");
    expect(location).toEqual({ uri: pathToUri(file("components.ts")), range: components && rangeOf(components, { start, end: start + 8 }) });
    expect(definition(context, train, offsetOf(trainText, '"Rows"', 2))?.uri).toBe(pathToUri(file("components.ts")));
  });

  it("puts train and runs lenses above registered classes, a reminder above an unregistered one, none above bases", () => {
    const lenses = codeLenses(context, file("components.ts")).map((l) => [l.range.start.line, l.command?.title, l.command?.command, l.command?.arguments]);
    expect(lenses).toEqual([
      [2, "▶ Train this model", "mlexp.trainModel", [{ model: "Centroid", workspace: ROOT, parameters: "last" }]],
      [2, "Train with parameters…", "mlexp.trainModel", [{ model: "Centroid", workspace: ROOT, parameters: "ask" }]],
      [2, "3 runs · best accuracy 0.9123", "mlexp.compareRuns", [{ model: "Centroid", workspace: ROOT }]],
      [6, "▶ Train with this feature generator", "mlexp.trainModel", [{ featureGenerator: "Scaler", workspace: ROOT, parameters: "last" }]],
      [6, "Train with parameters…", "mlexp.trainModel", [{ featureGenerator: "Scaler", workspace: ROOT, parameters: "ask" }]],
      [7, "▶ Train with this dataset", "mlexp.trainModel", [{ dataset: "Rows", workspace: ROOT, parameters: "last" }]],
      [7, "Train with parameters…", "mlexp.trainModel", [{ dataset: "Rows", workspace: ROOT, parameters: "ask" }]],
      [8, 'Not registered: add registerModel("Unregistered", Unregistered) to mlexp.config.ts to train it', "", undefined],
    ]);
  });

  it("offers the fix of a problem under the cursor as a quick fix", () => {
    const source = table.get(train);
    if (!source) throw new Error("no source");
    const problems = problemsOf(context.linked, table, train);
    const at = rangeOf(source, { start: offsetOf(trainText, "Centriod", 2), end: offsetOf(trainText, "Centriod", 2) });
    const actions = quickFixes(problems, source, "uri", at, () => undefined);
    expect(actions.map((a) => [a.title, a.edit?.changes?.uri?.[0].newText])).toEqual([['Change to "Centroid"', "Centroid"]]);
  });
});
