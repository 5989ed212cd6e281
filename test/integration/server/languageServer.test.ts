/**
 * The language server as the editor sees it: dist/server.js started as a process, spoken to over
 * stdio with vscode-jsonrpc, on a fixture workspace with a run store. One server for the whole file
 * (two cores are shared); the tests that edit come after those that only read.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FileChangeType, type Diagnostic } from "vscode-languageserver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunsChangedNotification } from "../../../src/protocol/language";
import { fixtureRun, recordRuns, writeFixture } from "./fixtureWorkspace";
import { LspClient, SERVER, uriOf } from "./lspClient";
import { tempDir } from "../../helpers/tempDir";

let root: string;
let client: LspClient;
const at = (relative: string) => path.join(root, relative);
const messageOf = (d: Diagnostic) => (typeof d.message === "string" ? d.message : d.message.value);
const messages = (diagnostics: Diagnostic[]) => diagnostics.map(messageOf);
const hoverText = (hover: Awaited<ReturnType<LspClient["hover"]>>) =>
  hover && typeof hover.contents === "object" && "value" in hover.contents ? hover.contents.value : "";

beforeAll(async () => {
  // Not tempDir(): that one is emptied after each test, and this workspace lives for the file.
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-lsp-")));
  writeFixture(root);
  await recordRuns(root, [
    fixtureRun({ run_id: "20260101-120000-00000001", metrics: { accuracy: 0.8 } }),
    fixtureRun({ run_id: "20260101-120001-00000002", metrics: { accuracy: 0.9 }, start_time: "2026-01-01T12:00:01.000Z" }),
  ]);
  client = await LspClient.start(root);
  await client.waitForIndex();
});

afterAll(async () => {
  await client?.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe("language server over the protocol", () => {
  it("indexes the workspace's components across files and sends them to the client", () => {
    const own = client.components?.components.filter((c) => !c.builtin) ?? [];
    expect(own.map((c) => `${c.kind}:${c.name}:${c.className}`)).toEqual([
      "model:Centroid:CentroidModel",
      "model:Deep:DeepModel",
      "featureGenerator:Scaler:Scaler",
      "dataAccessObject:Customers:Customers",
    ]);
    const centroid = own[0];
    expect(centroid.params.map((p) => p.name)).toEqual(["seed", "shrinkage", "temperature"]);
    expect(centroid.runs).toEqual({ count: 2, best: { metric: "accuracy", value: 0.9, runId: "20260101-120001-00000002" } });
    expect(centroid.location?.uri).toBe(uriOf(at("src/models/centroid.ts")));
    expect(own[1].params.map((p) => `${p.name}=${JSON.stringify(p.default)}`)).toEqual(["layers=2", 'activation="relu"']);
    expect(client.components?.workspaces).toEqual([{ root, configPath: at("mlexp.config.ts") }]);
    expect(client.components?.components.some((c) => c.builtin && c.name === "LogisticRegression")).toBe(true);
  });

  it("leaves out gitignored files, node_modules and dist, and registers file watchers", () => {
    const names = client.components?.components.map((c) => c.name) ?? [];
    expect(names).not.toContain("Ignored");
    expect(names).not.toContain("Generated");
    expect(names).not.toContain("FromPackage");
    expect(names).not.toContain("FromDist");
    expect(JSON.stringify(client.registrations)).toContain("**/.mlexp/mlexp.db");
  });

  it("publishes diagnostics for unknown names, duplicates, wrong kinds and unknown parameters", async () => {
    await client.waitForDiagnostics(at("train.ts"), (d) => d.length === 3);
    expect(messages(client.diagnosticsOf(at("train.ts")))).toEqual([
      expect.stringMatching(/^Unknown data access object "Custmers"\. Did you mean "Customers"\?/),
      expect.stringMatching(/^Unknown model "Centriod"\. Did you mean "Centroid"\?/),
      'The model "Centroid" has no parameter "shrinkag". Did you mean "shrinkage"? It takes: seed, shrinkage, temperature.',
    ]);
    const config = client.diagnosticsOf(at("mlexp.config.ts"));
    expect(messages(config)).toEqual([
      expect.stringMatching(/^The model name "Centroid" is registered twice: class CentroidModel here and class OtherModel at mlexp\.config\.ts:12\./),
      expect.stringMatching(/^The model name "Centroid" is registered twice: class OtherModel here and class CentroidModel at mlexp\.config\.ts:8\./),
      "Class Scaler is a feature generator (Scaler → FeatureGenerator), not a model: registerModel refuses it. Use registerFeatureGenerator(…) or register(Scaler).",
    ]);
    expect(config.every((d) => d.source === "mlexp" && d.severity === 1)).toBe(true);
  });

  it("offers the closest registered name as a quick fix", async () => {
    const train = at("train.ts");
    const diagnostic = client.diagnosticsOf(train).find((d) => messageOf(d).includes("Centriod"));
    if (!diagnostic) throw new Error("no diagnostic");
    const actions = await client.codeActions(train, diagnostic.range, [diagnostic]);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ title: 'Change to "Centroid"', kind: "quickfix", isPreferred: true });
    expect(actions[0].edit?.changes?.[uriOf(train)]).toEqual([{ range: diagnostic.range, newText: "Centroid" }]);
  });

  it("shows train and runs lenses above model classes, train lenses above feature generators and datasets", async () => {
    const lenses = async (relative: string) => (await client.codeLenses(at(relative))).map((l) => [l.range.start.line, l.command?.title, l.command?.command, l.command?.arguments?.[0]]);
    expect(await lenses("src/models/centroid.ts")).toEqual([
      [3, "▶ Train this model", "mlexp.trainModel", { model: "Centroid", workspace: root, parameters: "last" }],
      [3, "Train with parameters…", "mlexp.trainModel", { model: "Centroid", workspace: root, parameters: "ask" }],
      [3, "2 runs · best accuracy 0.9", "mlexp.compareRuns", { model: "Centroid", workspace: root }],
    ]);
    expect(await lenses("src/models/deep.ts")).toEqual([
      [3, "▶ Train this model", "mlexp.trainModel", { model: "Deep", workspace: root, parameters: "last" }],
      [3, "Train with parameters…", "mlexp.trainModel", { model: "Deep", workspace: root, parameters: "ask" }],
      [3, "no runs yet", "", undefined],
    ]);
    expect(await lenses("src/features/scaler.ts")).toEqual([
      [2, "▶ Train with this feature generator", "mlexp.trainModel", { featureGenerator: "Scaler", workspace: root, parameters: "last" }],
      [2, "Train with parameters…", "mlexp.trainModel", { featureGenerator: "Scaler", workspace: root, parameters: "ask" }],
    ]);
    expect(await lenses("src/data/customers.js")).toEqual([
      [2, "▶ Train with this dataset", "mlexp.trainModel", { dataset: "Customers", workspace: root, parameters: "last" }],
      [2, "Train with parameters…", "mlexp.trainModel", { dataset: "Customers", workspace: root, parameters: "ask" }],
    ]);
    expect(await lenses("src/models/base.ts")).toEqual([]);
    expect(await lenses("src/models/other.ts")).toEqual([
      [2, '⚠ "Centroid" is also registered for class CentroidModel: rename one', "", undefined],
      [9, 'Not registered: add registerModel("LonelyModel", LonelyModel) to mlexp.config.ts to train it', "", undefined],
    ]);
  });

  it("completes registered names inside a lookup string, with kind and parameters", async () => {
    const train = at("train.ts");
    await client.open(train);
    const items = await client.completion(train, client.positionOf(train, 'getModel("Centroid")', 10));
    const centroid = items.find((i) => i.label === "Centroid");
    expect(centroid?.detail).toBe("model · seed, shrinkage, temperature");
    expect(items.map((i) => i.label)).toContain("LogisticRegression");
    expect(items.map((i) => i.label)).not.toContain("Scaler");
  });

  it("goes to the class from a name, and hovers names and classes with parameters and runs", async () => {
    const train = at("train.ts");
    const location = await client.definition(train, client.positionOf(train, '"Centroid"', 3));
    expect(location?.uri).toBe(uriOf(at("src/models/centroid.ts")));
    expect(location?.range.start).toEqual(client.positionOf(at("src/models/centroid.ts"), "CentroidModel"));
    const onName = hoverText(await client.hover(train, client.positionOf(train, '"Centroid"', 3)));
    expect(onName).toContain("| `shrinkage` | number | `0.1` | Pull towards the mean · 0 … 1 |");
    expect(onName).toContain("Runs: 2 runs · best accuracy 0.9");
    const deep = at("src/models/deep.ts");
    const onClass = hoverText(await client.hover(deep, client.positionOf(deep, "DeepModel", 2)));
    expect(onClass).toContain("**Deep** — model");
    expect(onClass).toContain("| `activation` | string | `\"relu\"` | one of relu, tanh |");
    expect(onClass).toContain("Runs: no runs yet");
  });

  it("updates diagnostics as an open document is edited", async () => {
    const train = at("train.ts");
    const fixed = fs.readFileSync(train, "utf8").replace('"Centriod"', '"Centroid"').replace("shrinkag:", "temperature:");
    await client.change(train, fixed);
    await client.waitForDiagnostics(train, (d) => d.length === 1);
    expect(messages(client.diagnosticsOf(train))).toEqual([expect.stringMatching(/^Unknown data access object "Custmers"/)]);
  });

  it("follows an edit in one file to lookups and parameter checks in others", async () => {
    const centroid = at("src/models/centroid.ts");
    const train = at("train.ts");
    await client.open(centroid);
    await client.change(centroid, fs.readFileSync(centroid, "utf8").replace("temperature:", "heat:"));
    await client.waitForDiagnostics(train, (d) => d.some((x) => messageOf(x).includes('no parameter "temperature"')));
    await client.waitFor("the renamed parameter in the index", () => client.components?.components.find((c) => c.name === "Centroid")?.params.some((p) => p.name === "heat") === true);
    await client.close(centroid);
    await client.waitForDiagnostics(train, (d) => !d.some((x) => messageOf(x).includes("temperature")));
  });

  it("picks up files created, changed and deleted on disk", async () => {
    const created = at("src/models/fresh.ts");
    const config = at("mlexp.config.ts");
    fs.writeFileSync(created, `import { Model, registerModel } from "mlexp";\nexport class Fresh extends Model {}\nregisterModel("Fresh", Fresh);\n`);
    await client.filesChanged([{ file: created, type: FileChangeType.Created }]);
    await client.waitFor("the new component", () => client.components?.components.some((c) => c.name === "Fresh") === true);
    expect(await client.codeLenses(created)).toHaveLength(3);
    fs.rmSync(created);
    await client.filesChanged([{ file: created, type: FileChangeType.Deleted }]);
    await client.waitFor("the deleted component to go", () => client.components?.components.some((c) => c.name === "Fresh") === false);
    fs.writeFileSync(config, fs.readFileSync(config, "utf8").replace(/registerModel\("Centroid", OtherModel\);\n/, ""));
    await client.filesChanged([{ file: config, type: FileChangeType.Changed }]);
    await client.waitForDiagnostics(config, (d) => d.length === 1);
  });

  it("re-reads a .gitignore when it changes", async () => {
    const gitignore = at(".gitignore");
    fs.writeFileSync(gitignore, "*.generated.ts\n");
    await client.filesChanged([{ file: gitignore, type: FileChangeType.Changed }]);
    await client.waitFor("the un-ignored component", () => client.components?.components.some((c) => c.name === "Ignored") === true);
  });

  it("says a workspace's listing is incomplete while a registration's name is computed", async () => {
    const config = at("mlexp.config.ts");
    const incomplete = () => client.components?.workspaces.find((w) => w.root === root)?.incomplete === true;
    await client.open(config);
    await client.change(config, `${fs.readFileSync(config, "utf8")}registerModel(["Dyn", "amic"].join(""), CentroidModel);\n`);
    await client.waitFor("the workspace marked incomplete", incomplete);
    await client.close(config);
    await client.waitFor("the mark gone with the edit", () => !incomplete());
  });

  it("refreshes run counts when the store changes, and asks the client to refresh lenses", async () => {
    const refreshes = client.lensRefreshes;
    await recordRuns(root, [fixtureRun({ run_id: "20260101-120002-00000003", model_class: "Deep", metrics: { accuracy: 0.7 } })]);
    await client.filesChanged([{ file: at(".mlexp/mlexp.db"), type: FileChangeType.Changed }]);
    await client.waitFor("the new run", () => client.components?.components.find((c) => c.name === "Deep")?.runs?.count === 1);
    await client.waitFor("a lens refresh", () => client.lensRefreshes > refreshes);
    const lenses = await client.codeLenses(at("src/models/deep.ts"));
    expect(lenses[2].command?.title).toBe("1 run · best accuracy 0.7");
  });

  it("re-reads the store when the extension says a training finished", async () => {
    await recordRuns(root, [fixtureRun({ run_id: "20260101-120003-00000004", model_class: "Deep", metrics: { accuracy: 0.75 } })]);
    await client.connection.sendNotification(RunsChangedNotification, { workspace: root });
    await client.waitFor("the notified run", () => client.components?.components.find((c) => c.name === "Deep")?.runs?.count === 2);
  });

  it("reports index figures", async () => {
    const stats = await client.indexStats();
    expect(stats.files).toBeGreaterThanOrEqual(10);
    expect(stats.parsedFiles).toBeLessThanOrEqual(stats.files);
    expect(stats.initialIndexMs).toBeGreaterThan(0);
  });
});

describe("language server startup", () => {
  it("is bundled without TensorFlow.js", () => {
    expect(fs.readFileSync(SERVER, "utf8")).not.toMatch(/@tensorflow\/tfjs/);
  });

  it("answers on a workspace without a config or a store, and creates no .mlexp folder", async () => {
    const empty = tempDir("mlexp-lsp-empty-");
    fs.writeFileSync(path.join(empty, "a.ts"), `import { getModel } from "mlexp";\ngetModel("LogisticRegression");\ngetModel("Nope");\n`);
    const other = await LspClient.start(empty);
    try {
      const index = await other.waitForIndex();
      expect(index.components.every((c) => c.builtin)).toBe(true);
      await other.waitForDiagnostics(path.join(empty, "a.ts"), (d) => d.length === 1);
      expect(fs.existsSync(path.join(empty, ".mlexp"))).toBe(false);
    } finally {
      await other.stop();
    }
  });
});
