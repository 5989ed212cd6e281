import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS, CONTEXT_KEYS, SETTINGS, VIEWS } from "../../../src/extension/constants";
import { COMPARE_VIEW_TYPE } from "../../../src/protocol/compare";
import { RUN_PAGE_VIEW_TYPE } from "../../../src/protocol/runPage";
import { CONFIG_FILE_NAMES } from "../../../src/shared/configFiles";

interface Command {
  command: string;
  title: string;
  category?: string;
}
interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}

const ROOT = path.resolve(__dirname, "../../..");
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const commands: Command[] = manifest.contributes.commands;
const menus: Record<string, MenuItem[]> = manifest.contributes.menus;

describe("package.json's VS Code contributions", () => {
  it("declares exactly the commands the extension registers, all in the mlexp category", () => {
    expect(commands.map((c) => c.command).sort()).toEqual(Object.values(COMMANDS).sort());
    for (const command of commands) expect(command.category, command.command).toBe("mlexp");
  });

  it("has the titles the issue names", () => {
    const titles = Object.fromEntries(commands.map((c) => [c.command, c.title]));
    expect(titles).toMatchObject({
      [COMMANDS.trainModel]: "Train Model…",
      [COMMANDS.trainThisModel]: "Train This Model",
      [COMMANDS.trainThisModelWithParameters]: "Train with Parameters…",
      [COMMANDS.reproduceRun]: "Reproduce Run",
      [COMMANDS.compareRuns]: "Compare Runs",
      [COMMANDS.compareWith]: "Compare With…",
      [COMMANDS.openRunArtifacts]: "Open Run Artifacts",
      [COMMANDS.checkoutRun]: "Checkout Run's Code",
      [COMMANDS.openRunInWorktree]: "Open Run in Worktree",
      [COMMANDS.deleteRun]: "Delete Run",
      [COMMANDS.copyRunId]: "Copy Run ID",
      [COMMANDS.refresh]: "Refresh",
      [COMMANDS.showOutput]: "Show Output",
      [COMMANDS.createExample]: "Create Example Setup",
    });
  });

  it("hides the commands that need a tree item from the palette", () => {
    const hidden = menus.commandPalette.filter((m) => m.when === "false").map((m) => m.command);
    expect(hidden.sort()).toEqual([COMMANDS.goToComponentDefinition, COMMANDS.groupRunsByModel, COMMANDS.showRunDetails, COMMANDS.trainThisModel, COMMANDS.trainThisModelWithParameters, COMMANDS.ungroupRuns].sort());
  });

  it("only references declared commands, views and context keys in menus", () => {
    const declared = new Set(commands.map((c) => c.command));
    const viewIds = new Set(Object.values(VIEWS));
    for (const [menu, items] of Object.entries(menus)) {
      for (const item of items) {
        expect(declared.has(item.command), `${menu}: ${item.command}`).toBe(true);
        for (const view of item.when?.match(/view == ([\w.]+)/g) ?? []) expect(viewIds.has(view.slice(8) as never), `${menu}: ${view}`).toBe(true);
        const keys = (item.when?.match(/mlexp\.\w+/g) ?? []).filter((key) => !viewIds.has(key as never));
        for (const key of keys) expect(Object.values(CONTEXT_KEYS), `${menu}: ${key}`).toContain(key);
      }
    }
  });

  it("offers inline actions and context menus on tree items", () => {
    const context = menus["view/item/context"];
    const inline = context.filter((m) => m.group?.startsWith("inline")).map((m) => m.command);
    expect(inline).toEqual(expect.arrayContaining([COMMANDS.trainThisModel, COMMANDS.reproduceRun, COMMANDS.cancelTraining]));
    const onRuns = context.filter((m) => m.when?.includes("view == mlexp.runs")).map((m) => m.command);
    for (const command of [COMMANDS.compareRuns, COMMANDS.compareWith, COMMANDS.openRunArtifacts, COMMANDS.checkoutRun, COMMANDS.openRunInWorktree, COMMANDS.deleteRun, COMMANDS.copyRunId]) {
      expect(onRuns).toContain(command);
    }
  });

  it("has an activity-bar container with its own icon and both views", () => {
    const container = manifest.contributes.viewsContainers.activitybar[0];
    expect(container).toMatchObject({ id: VIEWS.container, title: "ML Experiments" });
    expect(fs.readFileSync(path.join(ROOT, container.icon), "utf8")).toMatch(/^<svg[^>]+currentColor/);
    expect(manifest.contributes.views[VIEWS.container].map((v: { id: string }) => v.id)).toEqual([VIEWS.components, VIEWS.runs]);
    const welcome = manifest.contributes.viewsWelcome.map((w: { contents: string }) => w.contents).join("\n");
    expect(welcome).toContain(`(command:${COMMANDS.createExample})`);
    // Welcome views render links but not Markdown code spans: a backtick would show as itself.
    expect(welcome).not.toContain("`");
  });

  it("declares every setting the code reads", () => {
    const properties = Object.keys(manifest.contributes.configuration.properties);
    const read = [SETTINGS.nodePath, SETTINGS.maxConcurrentTrainings, SETTINGS.cancelTimeoutSeconds, SETTINGS.pollIntervalSeconds, SETTINGS.store, SETTINGS.queue].map((s) => `${SETTINGS.section}.${s}`);
    expect(properties.sort()).toEqual(read.sort());
  });

  it("limits itself in untrusted and virtual workspaces and activates as the samples recommend", () => {
    expect(manifest.capabilities.untrustedWorkspaces).toMatchObject({ supported: "limited", restrictedConfigurations: ["mlexp.nodePath"] });
    expect(manifest.capabilities.virtualWorkspaces.supported).toBe(false);
    const events: string[] = manifest.activationEvents;
    // Besides the config files: a comparison panel open before a window reload is restored by the extension's serializer.
    expect(events.filter((event) => !event.startsWith("workspaceContains:mlexp.config."))).toEqual([`onWebviewPanel:${COMPARE_VIEW_TYPE}`, `onWebviewPanel:${RUN_PAGE_VIEW_TYPE}`]);
    // package.json cannot import the one list of config names: it must name each of them.
    expect(events.filter((event) => event.startsWith("workspaceContains:"))).toEqual(CONFIG_FILE_NAMES.map((name) => `workspaceContains:${name}`));
    expect(manifest.engines.vscode).toBe("^1.138.0");
    expect(manifest.main).toBe("./dist/extension.js");
  });
});
