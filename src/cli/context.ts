import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { MlexpError } from "../core/util/errors";
import { findConfig, loadWorkspace, type LoadedWorkspace } from "../core/workspace/loadWorkspace";
import { refreshWorkspaceTypes } from "../core/workspace/workspaceTypes";
import { Store } from "../core/store/store";

export interface GlobalOptions {
  workspace: string;
  json: boolean;
  /** `--store URL`; undefined: `MLEXP_STORE`, else the workspace's database. */
  store?: string;
}

/** The options every subcommand shares, read from the root program. */
export function globalOptions(command: Command): GlobalOptions {
  let root = command;
  while (root.parent) root = root.parent;
  const options = { ...root.opts(), ...command.opts() } as { workspace?: string; json?: boolean; store?: string };
  return { workspace: path.resolve(options.workspace ?? process.cwd()), json: Boolean(options.json), ...(options.store !== undefined ? { store: options.store } : {}) };
}

export function openWorkspace(options: GlobalOptions): Promise<LoadedWorkspace> {
  existingWorkspace(options);
  keepTypesCurrent(options.workspace);
  return loadWorkspace(options.workspace);
}

/** A workspace with components gets this mlexp's declarations (the editor reads them); never fails the command. */
export function keepTypesCurrent(workspace: string): void {
  if (!findConfig(workspace)) return;
  const problem = refreshWorkspaceTypes(workspace);
  if (problem) process.stderr.write(`mlexp: warning: ${problem}\n`);
}

export function openStore(options: GlobalOptions): Store {
  return Store.open(existingWorkspace(options), { store: options.store });
}

/** A workspace that is not there is a typo: say so instead of creating it (and a store in it). */
function existingWorkspace(options: GlobalOptions): string {
  let isFolder = false;
  try {
    isFolder = fs.statSync(options.workspace).isDirectory();
  } catch {
    // reported below
  }
  if (!isFolder) {
    throw new MlexpError(
      `The workspace folder ${options.workspace} does not exist${fs.existsSync(options.workspace) ? " (it is a file)" : ""}.`,
      "invalid_argument",
      "Check --workspace (default: the current folder), or create the folder with `mlexp init`.",
    );
  }
  return options.workspace;
}

/** Parses a JSON option, with an error that names the option and shows an example. */
export function parseJsonOption(name: string, text: string | undefined, example: string): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MlexpError(`${name} is not valid JSON (${(error as Error).message}).`, "invalid_argument", `Example: ${name} '${example}'.`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new MlexpError(`${name} must be a JSON object, got ${text}.`, "invalid_argument", `Example: ${name} '${example}'.`);
  }
  return value as Record<string, unknown>;
}

export function parseInteger(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value)) throw new MlexpError(`${name} must be a whole number, got "${text}".`, "invalid_argument");
  return value;
}

export function parseNumber(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new MlexpError(`${name} must be a number, got "${text}".`, "invalid_argument");
  return value;
}
