import type { ModelRun } from "../core/store/runRecord";
import type { ComponentListing } from "./components/componentTree";
import type { TrainingInfo } from "./training/trainingService";

export type { Outcome } from "./training/outcome";

/** A tree row as a person reads it. */
export interface TreeRow {
  label: string;
  description: string;
  depth: number;
}

/**
 * What `activate` returns (`vscode.extensions.getExtension("mlexp.mlexp").exports`): used by the
 * @vscode/test-electron suite to read what the views show, and available to other extensions.
 */
export interface MlexpApi {
  /** From loading the extension's bundle to the end of activate(), in milliseconds. */
  readonly activationMs: number;
  readonly workspaceFolder: string | undefined;
  components(): Promise<ComponentListing>;
  runs(): Promise<ModelRun[]>;
  /** The Runs view's rows as rendered (labels and descriptions), top-down. */
  runsViewRows(): Promise<TreeRow[]>;
  /** The Components view's rows, expanded to components (not parameters). */
  componentsViewRows(): Promise<TreeRow[]>;
  trainings(): TrainingInfo[];
}
