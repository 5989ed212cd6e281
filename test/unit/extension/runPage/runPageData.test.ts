import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { artifactFiles } from "../../../../src/extension/runPage/artifactFiles";
import { runPageHtml } from "../../../../src/extension/runPage/html";
import { componentParams, runPageData } from "../../../../src/extension/runPage/runPageData";
import { isFromRunPage } from "../../../../src/protocol/runPage";
import { makeRun } from "../../../helpers/runs";
import { tempDir } from "../../../helpers/tempDir";
import { CSV, MODEL_IMPL } from "../fixtures";

const original = makeRun({ hyperparameters: { shrinkage: 0.3, temperature: 1 }, model_params: { shrinkage: [0.1, 0.3] }, metrics: { f1: 0.75, accuracy: 0.8125, roc_auc: 0.9 } });
const reproduction = makeRun({ run_id: "20261126-070000-bbbbbbbb", start_time: "2026-11-26T07:00:00.000Z", reproduced_from: original.run_id, reproduction: { verdict: "identical" } });

describe("the run page's data", () => {
  const page = runPageData({
    run: original,
    runs: [original, reproduction],
    history: [{ step: 1, name: "loss", value: 0.5 }],
    trials: [{ trial: 1, params: { shrinkage: 0.1 }, score: 0.7, fold_scores: [0.7] }],
    components: [MODEL_IMPL, CSV],
    artifactFiles: [{ path: "model/centroids.json", bytes: 120 }, { path: "metrics.json", bytes: 40 }],
  });

  it("leads with the model and the metric the run is ranked by, then the other metrics by name", () => {
    expect(page).toMatchObject({ runId: original.run_id, model: "ModelImpl1", metric: "accuracy", metricValue: 0.8125, status: "finished" });
    expect(page.metrics.map((m) => m.name)).toEqual(["accuracy", "f1", "roc_auc"]);
  });

  it("shows every parameter with the value used, what was searched, and the declared default", () => {
    const [model, features, dataset] = page.params;
    expect(model).toEqual({
      role: "Model",
      name: "ModelImpl1",
      rows: [
        { name: "shrinkage", value: 0.3, given: [0.1, 0.3], default: 0.1, isDefault: false },
        { name: "temperature", value: 1, default: 1, isDefault: true },
      ],
    });
    expect(features).toEqual({ role: "Feature generator", name: "Identity", rows: [] });
    expect(dataset.rows).toEqual([
      { name: "path", value: "data.csv", isDefault: false },
      { name: "target", value: "label", isDefault: false },
      { name: "delimiter", value: ",", default: ",", isDefault: true },
    ]);
  });

  it("keeps recorded parameters the component no longer declares", () => {
    expect(componentParams("Model", "M", { gone: 2 }, {}, []).rows).toEqual([{ name: "gone", value: 2, isDefault: false }]);
  });

  it("lists the run's reproductions with their verdicts, and a reproduction's own verdict against its original", () => {
    expect(page.reproductions).toEqual([{ runId: reproduction.run_id, verdict: "identical", startTime: reproduction.start_time, isOriginal: false }]);
    const own = runPageData({ run: reproduction, runs: [original, reproduction], history: [], trials: [], components: [], artifactFiles: [] });
    expect(own.reproductions).toEqual([{ runId: original.run_id, verdict: "identical", startTime: reproduction.start_time, isOriginal: true }]);
  });

  it("carries the code, the dataset, curves, trials and artifacts (sorted)", () => {
    expect(page.code).toEqual({ githash: original.githash, baseCommit: null, dirty: false, workspacePath: "" });
    expect(page.dataset).toEqual({ name: "CsvFile", hash: "abc", rows: 800 });
    expect(page.curves).toHaveLength(1);
    expect(page.trials).toHaveLength(1);
    expect(page.artifacts.files.map((f) => f.path)).toEqual(["metrics.json", "model/centroids.json"]);
  });
});

describe("the run page's files and messages", () => {
  it("lists a run's artifact files with sizes, and nothing for an id that is not a run id", () => {
    const workspace = tempDir();
    const dir = path.join(workspace, ".mlexp", "runs", original.run_id, "model");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "w.json"), "12345");
    expect(artifactFiles(workspace, original.run_id)).toEqual([{ path: "model/w.json", bytes: 5 }]);
    expect(artifactFiles(workspace, "../../etc")).toEqual([]);
  });

  it("is a shell under a strict CSP: a nonce for its one script, styles and fonts from the extension only", () => {
    const html = runPageHtml({ cspSource: "vscode-resource:", scriptUri: "run.js", styleUris: ["compare.css", "run.css"], codiconsUri: "codicon.css", nonce: "abc123" });
    expect(html).toContain(`content="default-src 'none'; script-src 'nonce-abc123'; style-src vscode-resource:; font-src vscode-resource:; img-src vscode-resource: data:"`);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<script nonce="abc123" src="run.js"></script>');
    expect(html).not.toMatch(/<style|style=|onclick=|https?:/);
    expect(html.indexOf("compare.css")).toBeLessThan(html.indexOf("run.css"));
  });

  it("accepts only the page's own messages", () => {
    expect(isFromRunPage({ type: "ready" })).toBe(true);
    expect(isFromRunPage({ type: "action", action: "reproduce", runId: "x" })).toBe(true);
    expect(isFromRunPage({ type: "action", action: "rm -rf", runId: "x" })).toBe(false);
    expect(isFromRunPage({ type: "action", action: "checkout" })).toBe(false);
    expect(isFromRunPage(null)).toBe(false);
  });
});
