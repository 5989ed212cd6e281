import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { builtinRegistry, withActiveRegistry } from "../../core/registration";
import { MlexpError } from "../../core/util/errors";
import { describeComponents, type ComponentDescription } from "../../core/workspace/describe";
import { findConfig, runUserModule } from "../../core/workspace/loadWorkspace";
import { writeExampleWorkspace } from "../../core/workspace/scaffold";
import { ensureWorkspaceTypes } from "../../core/workspace/workspaceTypes";
import { globalOptions, keepTypesCurrent, openWorkspace } from "../context";
import { formatTable, printJson, printLine } from "../output";

const KIND_TITLES = { model: "Models", featureGenerator: "Feature generators", dataAccessObject: "Data access objects" } as const;

export function registerComponentCommands(program: Command): void {
  program
    .command("list")
    .description("List the registered models, feature generators and data access objects")
    .action(async (_flags: unknown, command: Command) => {
      const options = globalOptions(command);
      const workspace = await openWorkspace(options);
      const components = describeComponents(workspace.registry);
      if (options.json) return printJson(components);
      for (const kind of Object.keys(KIND_TITLES) as (keyof typeof KIND_TITLES)[]) {
        printLine(`${KIND_TITLES[kind]}:`);
        const rows = components.filter((c) => c.kind === kind).map((c) => [`  ${c.name}`, c.builtin ? "built-in" : "workspace", formatParams(c)]);
        printLine(formatTable(["  NAME", "FROM", "PARAMETERS (default)"], rows));
        printLine();
      }
    });

  program
    .command("init")
    .description("Create mlexp.config.ts, example components and a small dataset in the workspace")
    .action(async (_flags: unknown, command: Command) => {
      const options = globalOptions(command);
      const existing = findConfig(options.workspace);
      if (existing) throw new MlexpError(`${existing} already exists; nothing was written.`, "invalid_argument");
      const written = writeExampleWorkspace(options.workspace);
      const types = ensureWorkspaceTypes(options.workspace, { tsconfig: true });
      if (types.tsconfig === "written") written.push(path.join(options.workspace, "tsconfig.json"));
      if (options.json) return printJson({ written });
      printLine(`Wrote ${written.length} files:`);
      written.forEach((file) => printLine(`  ${path.relative(options.workspace, file)}`));
      printLine("\nTrain the example: mlexp train --model ModelImpl1 --features FeatureGeneratorImpl1 --dataset DataAccessObjectImpl1");
    });

  program
    .command("exec")
    .description("Run a TypeScript or JavaScript script that uses mlexp (e.g. calls trainModel) from its workspace")
    .argument("<script>", "the script; it imports its mlexp.config.ts to register its components")
    .action(async (script: string) => {
      const file = path.resolve(script);
      if (!fs.existsSync(file)) throw new MlexpError(`No script at ${file}.`, "invalid_argument");
      process.chdir(workspaceOf(path.dirname(file)));
      keepTypesCurrent(process.cwd());
      await withActiveRegistry(builtinRegistry().clone(), () => runUserModule(file, process.cwd()));
    });
}

/** The nearest folder at or above `dir` with an mlexp.config file; `dir` itself when none has one. */
function workspaceOf(dir: string): string {
  for (let current = dir; ; current = path.dirname(current)) {
    if (findConfig(current)) return current;
    if (path.dirname(current) === current) return dir;
  }
}

function formatParams(component: ComponentDescription): string {
  return component.params
    .map((p) => `${p.name}${p.required ? "*" : ""}${p.default === undefined ? "" : `=${JSON.stringify(p.default)}`}`)
    .join(" ");
}
