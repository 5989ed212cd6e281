import * as path from "node:path";
import type { RunSummary } from "../../protocol/language";
import type { LinkedIndex } from "../index/linkedIndex";
import type { ComponentEntry } from "../index/registrations";
import type { SourceTable } from "../index/sourceTable";

/** What the request handlers read: the linked index, the texts and the run summaries. */
export interface FeatureContext {
  readonly linked: LinkedIndex;
  readonly table: SourceTable;
  runsOf(workspace: string, model: string): RunSummary | undefined;
}

/** The runs of a component (models only), in the mlexp workspace of `file`. */
export function runsOfEntry(context: FeatureContext, file: string, entry: ComponentEntry): RunSummary | undefined {
  if (entry.kind !== "model") return undefined;
  return context.runsOf(context.linked.projectOf(file).root, entry.name);
}

/** Where a component's class is, relative to its mlexp workspace, for hovers. */
export function whereOf(context: FeatureContext, file: string, entry: ComponentEntry): string | undefined {
  if (!entry.declaration) return undefined;
  const root = context.linked.projectOf(file).root;
  return path.relative(root, entry.declaration.file).split(path.sep).join("/");
}
