import * as vscode from "vscode";
import { SETTINGS } from "../constants";

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SETTINGS.section);
}

/** A system node for the training process, or undefined for the extension host's own runtime. */
export function nodePathSetting(): string | undefined {
  const value = config().get<string>(SETTINGS.nodePath, "").trim();
  return value || undefined;
}

export function maxConcurrentTrainings(): number {
  return config().get<number>(SETTINGS.maxConcurrentTrainings, 2);
}

export function cancelTimeoutMs(): number {
  return Math.max(0.5, config().get<number>(SETTINGS.cancelTimeoutSeconds, 5)) * 1000;
}

/** `mlexp.store`: where runs are stored (empty: the workspace's own database). */
export function storeSetting(): string | undefined {
  const value = config().get<string>(SETTINGS.store, "").trim();
  return value || undefined;
}

export function pollIntervalMs(): number {
  return Math.max(0, config().get<number>(SETTINGS.pollIntervalSeconds, 2)) * 1000;
}

/** `mlexp.queue`: the Redis queue searches are distributed on (empty: they run in the training process). */
export function queueSetting(): string | undefined {
  const value = config().get<string>(SETTINGS.queue, "").trim();
  return value || undefined;
}
