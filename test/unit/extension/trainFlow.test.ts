import { describe, expect, it } from "vitest";
import { checkParamsText, formatParams, presetRequest, trainArgsFrom, TrainFlow, treeItemTrainArgs } from "../../../src/extension/train/trainFlow";
import { COMPONENTS, CSV, IDENTITY, LOGISTIC, MODEL_IMPL, SCALER } from "./fixtures";

/** Answers every step the way a user pressing Enter on the prefilled values would. */
function acceptAll(flow: TrainFlow, picks: Record<string, string>, params: Record<string, string> = {}): string[] {
  const titles: string[] = [];
  for (let step = flow.nextStep(); step; step = flow.nextStep()) {
    titles.push(flow.title());
    if (step.kind === "pick") flow.choose(step.componentKind, picks[step.componentKind]);
    else {
      const text = params[step.component.name] ?? flow.paramsPrefill(step.component);
      const check = checkParamsText(text, step.component);
      if (!check.ok) throw new Error(check.problem);
      flow.setParams(step.componentKind, check.params);
    }
  }
  return titles;
}

describe("TrainFlow", () => {
  it("asks model, feature generator, data access object, then the parameters of those that have any", () => {
    const flow = new TrainFlow(COMPONENTS, {});
    const titles = acceptAll(flow, { model: "ModelImpl1", featureGenerator: "Identity", dataAccessObject: "CsvFile" }, { CsvFile: '{"path": "d.csv", "target": "y"}' });
    // Identity has no parameters: 5 steps, and the count settles once everything is picked.
    expect(titles).toEqual(["Train Model (1/6)", "Train Model (2/6)", "Train Model (3/5)", "Train Model (4/5)", "Train Model (5/5)"]);
    expect(flow.request()).toEqual({
      model: "ModelImpl1",
      featureGenerator: "Identity",
      dataset: "CsvFile",
      modelParams: { shrinkage: 0.1, temperature: 1 },
      datasetParams: { path: "d.csv", target: "y" },
    });
  });

  it("skips what a preset gives (Train This Model)", () => {
    const flow = new TrainFlow(COMPONENTS, {}, { model: "ModelImpl1", modelParams: { shrinkage: 0.5 } });
    expect(flow.nextStep()).toEqual({ kind: "pick", componentKind: "featureGenerator" });
    acceptAll(flow, { featureGenerator: "StandardScaler", dataAccessObject: "Customers" });
    expect(flow.request()).toEqual({ model: "ModelImpl1", featureGenerator: "StandardScaler", dataset: "Customers", modelParams: { shrinkage: 0.5 }, featureGeneratorParams: { withMean: true } });
  });

  it("starts the CodeLens's training ({ model, workspace }) at the feature generator, the last used one first", () => {
    const args = trainArgsFrom({ model: "ModelImpl1", workspace: "/w" });
    const flow = new TrainFlow(COMPONENTS, { featureGenerator: "StandardScaler", dataset: "Customers" }, args);
    expect(flow.nextStep()).toEqual({ kind: "pick", componentKind: "featureGenerator" });
    expect(flow.title()).toMatch(/^Train Model \(1\/\d\)$/);
    expect(flow.pickItems("featureGenerator")[0]).toMatchObject({ label: "StandardScaler", description: expect.stringContaining("last used") });
    flow.choose("featureGenerator", "StandardScaler");
    expect(flow.pickItems("dataAccessObject")[0]).toMatchObject({ label: "Customers" });
    acceptAll(flow, { dataAccessObject: "Customers" });
    expect(flow.request()).toMatchObject({ model: "ModelImpl1", featureGenerator: "StandardScaler", dataset: "Customers" });
  });

  it("needs no step at all when the preset is complete", () => {
    const flow = new TrainFlow(COMPONENTS, {}, { model: "ModelImpl1", modelParams: {}, featureGenerator: "Identity", dataset: "Customers" });
    expect(flow.nextStep()).toBeUndefined();
    expect(flow.request()).toMatchObject({ model: "ModelImpl1", dataset: "Customers" });
  });

  it("passes unknown preset names on, for the library to reject with a suggestion", () => {
    const flow = new TrainFlow(COMPONENTS, {}, { model: "ModelImpl2", featureGenerator: "Identity", dataset: "Customers" });
    expect(flow.nextStep()).toBeUndefined();
    expect(flow.request().model).toBe("ModelImpl2");
  });

  it("refuses to build a request before a model and a dataset are chosen", () => {
    expect(() => new TrainFlow(COMPONENTS, {}).request()).toThrow(/must be chosen/);
  });

  it("lists the last used component first, then the workspace's, then built-ins", () => {
    const flow = new TrainFlow(COMPONENTS, { model: "LogisticRegression" });
    const items = flow.pickItems("model");
    expect(items.map((i) => i.label)).toEqual(["LogisticRegression", "ModelImpl1"]);
    expect(items[0].description).toBe("built-in · classification · last used");
    expect(items[1]).toEqual({ label: "ModelImpl1", description: "workspace · classification", detail: "Nearest shrunken centroid classifier" });
    expect(new TrainFlow(COMPONENTS, {}).pickItems("dataAccessObject").map((i) => i.label)).toEqual(["Customers", "CsvFile"]);
  });

  it("prefills defaults overlaid with the parameters used last time (only known ones)", () => {
    const flow = new TrainFlow(COMPONENTS, { params: { "model:ModelImpl1": { temperature: 2, removed: 1 } } });
    expect(flow.paramsPrefill(MODEL_IMPL)).toBe('{"shrinkage": 0.1, "temperature": 2}');
    expect(flow.paramsPrefill(CSV)).toBe('{"delimiter": ","}');
  });

  it("explains what a component takes under the parameter box", () => {
    const flow = new TrainFlow(COMPONENTS, {});
    expect(flow.paramsPrompt(CSV)).toBe("Parameters of CsvFile as JSON. Required: path (string), target (string). Optional: delimiter.");
    expect(flow.paramsPrompt(MODEL_IMPL)).toContain("A list of values searches over them");
  });

  it("remembers names and parameters per component, keeping other components' parameters", () => {
    const flow = new TrainFlow(COMPONENTS, { params: { "dataAccessObject:CsvFile": { path: "old.csv", target: "y" } } });
    acceptAll(flow, { model: "ModelImpl1", featureGenerator: "StandardScaler", dataAccessObject: "Customers" }, { ModelImpl1: '{"shrinkage": 0.3}' });
    expect(flow.remember()).toEqual({
      model: "ModelImpl1",
      featureGenerator: "StandardScaler",
      dataset: "Customers",
      params: {
        "dataAccessObject:CsvFile": { path: "old.csv", target: "y" },
        "model:ModelImpl1": { shrinkage: 0.3 },
        "featureGenerator:StandardScaler": { withMean: true },
      },
    });
  });

  it("formats parameters on one readable line", () => {
    expect(formatParams({})).toBe("{}");
    expect(formatParams({ a: [1, 2], b: "x" })).toBe('{"a": [1,2], "b": "x"}');
  });
});

describe("checkParamsText", () => {
  it("accepts an object of valid parameters, a search list of valid values, and empty text as {}", () => {
    expect(checkParamsText('{"shrinkage": 0.5}', MODEL_IMPL)).toEqual({ ok: true, params: { shrinkage: 0.5 } });
    expect(checkParamsText('{"shrinkage": [0.1, 0.2]}', MODEL_IMPL).ok).toBe(true);
    expect(checkParamsText("  ", MODEL_IMPL)).toEqual({ ok: true, params: {} });
  });

  it("refuses broken JSON and non-objects", () => {
    expect(checkParamsText("{shrinkage: 1}", MODEL_IMPL)).toMatchObject({ ok: false, problem: expect.stringMatching(/^Not valid JSON: /) });
    expect(checkParamsText("[1]", MODEL_IMPL)).toEqual({ ok: false, problem: 'Give an object such as {"name": value}.' });
    expect(checkParamsText("null", SCALER).ok).toBe(false);
  });

  it("refuses what the library refuses, with the library's message: type, range, choices, search values, unknown names with the closest one, required ones", () => {
    const problem = (text: string, component = MODEL_IMPL) => {
      const check = checkParamsText(text, component);
      return check.ok ? undefined : check.problem;
    };
    expect(problem('{"shrinkage": "0.05"}')).toBe('Invalid parameters for model "ModelImpl1": parameter "shrinkage" must be a number, got "0.05".');
    expect(problem('{"shrinkage": 5}')).toBe('Invalid parameters for model "ModelImpl1": parameter "shrinkage" must be at most 1, got 5.');
    expect(problem('{"shrinkage": [0.1, 2]}')).toBe('Invalid parameters for model "ModelImpl1": parameter "shrinkage" must be at most 1, got 2 in its search values.');
    expect(problem('{"temperature": 0}')).toBe('Invalid parameters for model "ModelImpl1": parameter "temperature" must be greater than 0, got 0.');
    expect(problem('{"epochs": 2.5}', LOGISTIC)).toBe('Invalid parameters for model "LogisticRegression": parameter "epochs" must be a whole number, got 2.5.');
    expect(problem('{"shrinkge": 0.2}')).toBe('Invalid parameters for model "ModelImpl1": has no parameter "shrinkge". Did you mean "shrinkage"? It takes: shrinkage, temperature.');
    expect(problem('{"x": 1}', IDENTITY)).toBe('Invalid parameters for feature generator "Identity": has no parameter "x". It takes no parameters.');
    expect(problem('{"path": "d.csv"}', CSV)).toBe('Invalid parameters for data access object "CsvFile": parameter "target" is required (string).');
    expect(problem('{"path": "d.csv", "target": "y", "delimiter": ";", "header": "yes"}', CSV)).toMatch(/has no parameter "header"/);
    const choices = { ...CSV, params: [...CSV.params, { name: "encoding", type: "string", required: false, choices: ["utf8", "latin1"] }] };
    expect(problem('{"path": "d.csv", "target": "y", "encoding": "ascii"}', choices)).toBe(
      'Invalid parameters for data access object "CsvFile": parameter "encoding" must be one of utf8, latin1, got "ascii".',
    );
  });

  it("checks only the name of a parameter whose spec the server could not read", () => {
    const opaque = { ...MODEL_IMPL, params: [{ name: "layers", type: "unknown", required: false }] };
    expect(checkParamsText('{"layers": "anything"}', opaque).ok).toBe(true);
    expect(checkParamsText('{"layer": 1}', opaque)).toMatchObject({ ok: false, problem: expect.stringContaining('Did you mean "layers"?') });
  });
});

describe("TrainFlow with the parameters of the last run (the ▶ Train lens)", () => {
  const lastRun = { modelParams: { shrinkage: 0.3 }, featureGeneratorParams: { withMean: false }, datasetParams: {} };

  it("asks two questions, and takes the parameters of the combination's last finished run", () => {
    const seen: string[][] = [];
    const flow = new TrainFlow(COMPONENTS, { featureGenerator: "StandardScaler", dataset: "Customers" }, { model: "ModelImpl1" }, {
      parameters: "last",
      lastParams: (...names) => (seen.push(names), names.join() === "ModelImpl1,StandardScaler,Customers" ? lastRun : undefined),
    });
    const titles = acceptAll(flow, { featureGenerator: "StandardScaler", dataAccessObject: "Customers" });
    expect(titles).toEqual(["Train ModelImpl1 (1/2)", "Train ModelImpl1 (2/2)"]);
    expect(seen).toContainEqual(["ModelImpl1", "StandardScaler", "Customers"]);
    expect(flow.request()).toEqual({
      model: "ModelImpl1",
      featureGenerator: "StandardScaler",
      dataset: "Customers",
      modelParams: { shrinkage: 0.3 },
      featureGeneratorParams: { withMean: false },
      datasetParams: {},
    });
  });

  it("falls back to the defaults when the combination has no run, and to a box only for required parameters without a value", () => {
    const flow = new TrainFlow(COMPONENTS, {}, { model: "ModelImpl1" }, { parameters: "last", lastParams: () => undefined });
    const titles = acceptAll(flow, { featureGenerator: "Identity", dataAccessObject: "CsvFile" }, { CsvFile: '{"path": "d.csv", "target": "y"}' });
    expect(titles).toEqual(["Train ModelImpl1 (1/2)", "Train ModelImpl1 (2/2)", "Train ModelImpl1 (3/3)"]);
    // {} leaves every parameter at its default.
    expect(flow.request()).toEqual({ model: "ModelImpl1", featureGenerator: "Identity", dataset: "CsvFile", modelParams: {}, featureGeneratorParams: {}, datasetParams: { path: "d.csv", target: "y" } });
  });

  it("does not reuse a last run's parameters that the component would now refuse", () => {
    const flow = new TrainFlow(COMPONENTS, {}, { model: "ModelImpl1" }, { parameters: "last", lastParams: () => ({ ...lastRun, modelParams: { removed: 1 } }) });
    acceptAll(flow, { featureGenerator: "StandardScaler", dataAccessObject: "Customers" });
    expect(flow.request()).toMatchObject({ featureGeneratorParams: { withMean: false } });
    expect(flow.request().modelParams).toEqual({});
  });

  it("prefills the long flow's boxes with the combination's last run before what was remembered", () => {
    const flow = new TrainFlow(COMPONENTS, { params: { "model:ModelImpl1": { temperature: 2 } } }, { model: "ModelImpl1" }, { parameters: "ask", lastParams: () => lastRun });
    flow.choose("featureGenerator", "StandardScaler");
    flow.choose("dataAccessObject", "Customers");
    expect(flow.nextStep()).toMatchObject({ kind: "params", componentKind: "model" });
    expect(flow.paramsPrefill(MODEL_IMPL)).toBe('{"shrinkage": 0.3, "temperature": 1}');
    expect(flow.paramsPrefill(SCALER)).toBe('{"withMean": false}');
  });
});

describe("train command arguments", () => {
  it("turns a Components tree node into a preset of its kind (Train This Model)", () => {
    expect(trainArgsFrom({ kind: "component", component: MODEL_IMPL })).toEqual({ model: "ModelImpl1" });
    expect(trainArgsFrom({ kind: "component", component: SCALER })).toEqual({ featureGenerator: "StandardScaler" });
    expect(trainArgsFrom({ kind: "component", component: CSV })).toEqual({ dataset: "CsvFile" });
  });

  it("trains from the Components view in two answers like the lens's ▶ Train, the long flow under Train with Parameters…", () => {
    const node = { kind: "component", component: MODEL_IMPL };
    const twoAnswers = treeItemTrainArgs(node, "last");
    expect(twoAnswers).toEqual({ model: "ModelImpl1", parameters: "last" });
    const quick = new TrainFlow(COMPONENTS, {}, twoAnswers, { parameters: twoAnswers.parameters, lastParams: () => undefined });
    expect(acceptAll(quick, { featureGenerator: "StandardScaler", dataAccessObject: "Customers" })).toEqual(["Train ModelImpl1 (1/2)", "Train ModelImpl1 (2/2)"]);
    // No run of this combination yet: the defaults (the library fills them in).
    expect(quick.request()).toMatchObject({ model: "ModelImpl1", featureGenerator: "StandardScaler", dataset: "Customers", modelParams: {} });
    const long = treeItemTrainArgs(node, "ask");
    const asked = new TrainFlow(COMPONENTS, {}, long, { parameters: long.parameters });
    const titles = acceptAll(asked, { featureGenerator: "StandardScaler", dataAccessObject: "Customers" });
    expect(titles.length).toBeGreaterThan(2);
  });

  it("takes a model name or a preset object as given, and nothing otherwise", () => {
    expect(trainArgsFrom("ModelImpl1")).toEqual({ model: "ModelImpl1" });
    expect(trainArgsFrom({ model: "M", dataset: "D", ask: false })).toEqual({ model: "M", dataset: "D", ask: false });
    expect(trainArgsFrom(undefined)).toEqual({});
    expect(trainArgsFrom(42)).toEqual({});
  });

  it("builds a request from a complete preset without questions", () => {
    expect(presetRequest({ model: "M", dataset: "D", ask: false, modelParams: { a: 1 } })).toEqual({ model: "M", dataset: "D", modelParams: { a: 1 } });
    expect(presetRequest({ model: "M" })).toBeUndefined();
    expect(presetRequest({ dataset: "D" })).toBeUndefined();
  });
});
