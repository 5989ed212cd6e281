import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import type { MlexpApi, Outcome } from "../../../src/extension/api";
import type { CommandResult } from "../../../src/extension/runs/runCommands";
import type { ReproduceResult, TrainResult } from "../../../src/protocol/training";
import { BUILTIN_COMPONENTS, INVALID_PARAMS_MESSAGE, INVALID_TRAINING, LONG_TRAINING, QUICK_TRAINING, RUN_ID, trainWithCli, USER_COMPONENTS } from "../../e2e/mlexp/scenarios";
import { waitFor, type TestCase } from "./waitFor";

// The scenarios of the end-to-end suite (test/e2e/mlexp.e2e.test.ts), inside the extension host:
// driven through commands and read through the extension's API instead of the screen.

const EXTENSION_ID = "mlexp.mlexp";

async function api(): Promise<MlexpApi> {
  const extension = vscode.extensions.getExtension<MlexpApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this VS Code`);
  return extension.activate();
}

/** The open comparison panels' tabs (a webview tab's view type carries VS Code's own prefix). */
function comparisonTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith("mlexp.comparison"));
}

function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(folder, "the tests need the fixture workspace open");
  return folder;
}

function train(args: object): Thenable<Outcome<TrainResult> | undefined> {
  return vscode.commands.executeCommand<Outcome<TrainResult> | undefined>("mlexp.trainModel", { ...args, ask: false });
}

export function mlexpCases(log: (line: string) => void): TestCase[] {
  /** The run of the quick training, which the later cases reproduce, compare and check out. */
  let trained: string | undefined;
  const trainedRun = () => {
    assert.ok(trained, "the training case did not record a run");
    return trained;
  };
  return [
    {
      name: "activates quickly and works in the fixture workspace",
      run: async () => {
        const mlexp = await api();
        assert.equal(mlexp.workspaceFolder, workspaceFolder());
        assert.ok(mlexp.activationMs < 5000, `activation took ${mlexp.activationMs} ms`);
        log(`    mlexp activated in ${mlexp.activationMs.toFixed(1)} ms`);
      },
    },
    {
      name: "lists the built-in and the workspace's components",
      run: async () => {
        const rows = await (await api()).componentsViewRows();
        const byLabel = new Map(rows.map((row) => [row.label, row.description]));
        assert.equal(byLabel.get(USER_COMPONENTS.model), "workspace · classification");
        assert.equal(byLabel.get(USER_COMPONENTS.featureGenerator), "workspace");
        assert.equal(byLabel.get(USER_COMPONENTS.dataset), "workspace");
        for (const name of BUILTIN_COMPONENTS) assert.match(byLabel.get(name) ?? "", /^built-in/, name);
        assert.deepEqual(
          rows.filter((row) => row.depth === 0).map((row) => row.label),
          ["Models", "Feature Generators", "Data Access Objects"],
        );
      },
    },
    {
      name: "trains the workspace's model and shows the run as finished",
      run: async () => {
        const outcome = await train(QUICK_TRAINING);
        assert.equal(outcome?.status, "finished", JSON.stringify(outcome));
        const run = outcome.status === "finished" ? outcome.result.run : undefined;
        assert.ok(run && RUN_ID.test(run.run_id));
        const mlexp = await api();
        const row = await waitFor("the run in the Runs view", async () => (await mlexp.runsViewRows()).find((r) => r.description.endsWith(run.run_id) && /accuracy/.test(r.label)));
        assert.match(row.label, /^ModelImpl1 · accuracy \d/);
        trained = run.run_id;
      },
    },
    {
      name: "reproduces the run and says it matched",
      run: async () => {
        const outcome = await vscode.commands.executeCommand<Outcome<ReproduceResult>>("mlexp.reproduceRun", trainedRun());
        assert.equal(outcome?.status, "finished", JSON.stringify(outcome));
        if (outcome.status !== "finished") return;
        assert.equal(outcome.result.verdict, "identical");
        assert.equal(outcome.result.originalRunId, trainedRun());
        const mlexp = await api();
        const row = await waitFor("the reproduction in the Runs view", async () => (await mlexp.runsViewRows()).find((r) => r.description.endsWith(outcome.result.run.run_id) && /reproduction/.test(r.label)));
        assert.match(row.label, /· reproduction identical$/);
      },
    },
    {
      name: "compares runs in the comparison panel",
      run: async () => {
        const runs = (await (await api()).runs()).map((r) => r.run_id);
        await vscode.commands.executeCommand("mlexp.compareRuns", { runIds: runs.slice(0, 2) });
        // The panel titles itself once its page has loaded and been sent the runs.
        const tab = await waitFor("the comparison panel", () => comparisonTabs().find((t) => t.label === "Compare: 2 runs"));
        assert.ok(tab.isActive);
      },
    },
    {
      name: "shows a run's page in a webview panel titled with its id",
      run: async () => {
        await vscode.commands.executeCommand("mlexp.showRunDetails", trainedRun());
        const tabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs);
        const tab = await waitFor("the run page", () => tabs().find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith("mlexp.runPage") && t.label === `Run ${trainedRun()}`));
        assert.ok(tab);
      },
    },
    {
      name: "groups the Runs view by model and back",
      run: async () => {
        const mlexp = await api();
        await vscode.commands.executeCommand("mlexp.groupRunsByModel");
        const grouped = await mlexp.runsViewRows();
        assert.deepEqual(grouped.filter((r) => r.depth === 0).map((r) => r.label), ["ModelImpl1"]);
        assert.match(grouped[0].description, /^2 runs · best accuracy \d/);
        await vscode.commands.executeCommand("mlexp.ungroupRuns");
        assert.ok((await mlexp.runsViewRows()).every((r) => r.depth === 0 && RUN_ID.test(r.description.split(" · ").pop() ?? "")));
      },
    },
    {
      name: "goes to the definition of a workspace component",
      run: async () => {
        const component = (await (await api()).components()).components.find((c) => c.name === USER_COMPONENTS.model);
        assert.ok(component);
        await vscode.commands.executeCommand("mlexp.goToComponentDefinition", { kind: "component", component });
        const editor = await waitFor("the component's file", () => vscode.window.activeTextEditor?.document.uri.path.endsWith("/src/modelImpl1.ts") && vscode.window.activeTextEditor);
        assert.match(editor.document.lineAt(editor.selection.active.line).text, /export class ModelImpl1 extends Model/);
      },
    },
    {
      name: "refuses to check out a run's code over uncommitted changes, and checks it out on a branch otherwise",
      run: async () => {
        const folder = workspaceFolder();
        const checkout = (branch: boolean) => vscode.commands.executeCommand<CommandResult<{ commit: string; branch?: string }>>("mlexp.checkoutRun", { runId: trainedRun(), branch });
        appendFileSync(join(folder, "data", "customers.csv"), "\n");
        const refused = await checkout(false);
        assert.equal(refused?.ok, false);
        assert.match(refused.ok ? "" : refused.message, /uncommitted changes \(data\/customers\.csv\)/);
        execFileSync("git", ["checkout", "--", "data/customers.csv"], { cwd: folder });
        const done = await checkout(true);
        assert.deepEqual(done?.ok && done.value.branch, `mlexp/${trainedRun()}`);
        assert.equal(execFileSync("git", ["branch", "--show-current"], { cwd: folder, encoding: "utf8" }).trim(), `mlexp/${trainedRun()}`);
      },
    },
    {
      name: "puts a run's code in a separate worktree",
      run: async () => {
        const result = await vscode.commands.executeCommand<CommandResult<string>>("mlexp.openRunInWorktree", trainedRun());
        assert.ok(result?.ok, JSON.stringify(result));
        assert.ok(existsSync(join(result.value, "mlexp.config.ts")));
      },
    },
    {
      name: "cancels a long training and records it as cancelled",
      run: async () => {
        const mlexp = await api();
        const pending = train(LONG_TRAINING);
        const training = await waitFor("the long training's first epoch", () => mlexp.trainings().find((t) => t.runId && t.lastProgress?.epoch !== undefined));
        const runId = training.runId as string;
        await waitFor("the running run in the Runs view", async () => (await mlexp.runsViewRows()).find((r) => r.description.endsWith(runId) && /^MLPClassifierTfjs · (epoch|running)/.test(r.label)));
        await vscode.commands.executeCommand("mlexp.cancelTraining", runId);
        const outcome = await pending;
        assert.equal(outcome?.status, "cancelled", JSON.stringify(outcome));
        const row = await waitFor("the cancelled run", async () => (await mlexp.runsViewRows()).find((r) => r.description.endsWith(runId) && r.label.endsWith("cancelled")));
        assert.equal(row.label, "MLPClassifierTfjs · cancelled");
        assert.equal((await mlexp.runs()).find((r) => r.run_id === runId)?.status, "cancelled");
        assert.equal(mlexp.trainings().length, 0);
      },
    },
    {
      name: "shows a run trained by the CLI without a manual refresh",
      run: async () => {
        const mlexp = await api();
        const run = trainWithCli(workspaceFolder());
        assert.equal(run.status, "finished");
        const row = await waitFor(`CLI run ${run.run_id} in the Runs view`, async () => (await mlexp.runsViewRows()).find((r) => r.description.endsWith(run.run_id) && /accuracy/.test(r.label)), 30_000);
        assert.match(row.label, /^LogisticRegression · accuracy \d/);
      },
    },
    {
      name: "reports an invalid parameter with the library's message and records nothing",
      run: async () => {
        const mlexp = await api();
        const before = (await mlexp.runs()).length;
        const outcome = await train(INVALID_TRAINING);
        assert.deepEqual(outcome, { status: "failed", code: "invalid_params", message: INVALID_PARAMS_MESSAGE });
        assert.equal((await mlexp.runs()).length, before);
      },
    },
  ];
}
