import { formatFieldValue } from "../../src/shared/compare/format";
import type { ModelRun } from "../../src/core/store/runRecord";
import type { RunAction } from "../../src/protocol/compare";
import { h } from "./dom";
import type { RankInfo } from "./tableModel";

export interface ActionsCallbacks {
  onAction(action: RunAction, runId: string): void;
  onRemove(runId: string): void;
}

interface ActionButton {
  action: RunAction;
  label: string;
  icon: string;
  title: string;
  /** Why the action cannot be done for this run, or undefined when it can. */
  unavailable(run: ModelRun): string | undefined;
}

const noCode = (run: ModelRun) => (run.githash ? undefined : "This run was trained outside a git repository: there is no code to restore.");

const BUTTONS: ActionButton[] = [
  { action: "checkout", label: "Checkout code", icon: "git-branch", title: "Check out the run's commit in this working tree (refused if it has uncommitted changes)", unavailable: noCode },
  { action: "worktree", label: "Open in worktree", icon: "multiple-windows", title: "Put the run's code in a separate folder, leaving this working tree alone", unavailable: noCode },
  { action: "reproduce", label: "Reproduce", icon: "debug-rerun", title: "Train again from the run's code, parameters and stored data, and check the metrics match", unavailable: (run) => (run.status === "finished" ? undefined : `Only finished runs can be reproduced (this one is ${run.status}).`) },
  { action: "openArtifacts", label: "Open artifacts", icon: "folder-opened", title: "The run's artifact folder", unavailable: () => undefined },
  { action: "copyRunId", label: "Copy run_id", icon: "copy", title: "Copy the run's id", unavailable: () => undefined },
];

/** The selected run's actions. Buttons that cannot apply are disabled with the reason as their tooltip. */
export class ActionsBar {
  readonly element = h("div", { class: "actions-bar", role: "toolbar", "aria-label": "Actions for the selected run" });
  private runId: string | null = null;

  constructor(private readonly callbacks: ActionsCallbacks) {}

  update(run: ModelRun | undefined, rank: RankInfo | undefined, metric: string | null): void {
    if (!run) {
      this.runId = null;
      this.element.replaceChildren(h("span", { class: "hint" }, "Select a run (click a row, or Enter in the table) for its actions."));
      return;
    }
    if (this.runId === run.run_id && this.element.dataset.status === run.status) {
      this.describe(run, rank, metric);
      return;
    }
    this.runId = run.run_id;
    this.element.dataset.status = run.status;
    const buttons = BUTTONS.map((button) => {
      const reason = button.unavailable(run);
      return h("vscode-button", { icon: button.icon, secondary: true, disabled: reason !== undefined, title: reason ?? button.title, "data-action": button.action, onclick: () => this.callbacks.onAction(button.action, run.run_id) }, button.label);
    });
    const remove = h("vscode-button", { icon: "close", secondary: true, title: "Remove the run from this comparison (Delete in the table)", onclick: () => this.callbacks.onRemove(run.run_id) }, "Remove");
    this.element.replaceChildren(h("span", { class: "selected-run" }), ...buttons, remove);
    this.describe(run, rank, metric);
  }

  private describe(run: ModelRun, rank: RankInfo | undefined, metric: string | null): void {
    const label = this.element.querySelector(".selected-run");
    if (!label) return;
    const ranking = rank?.rank == null || !metric ? "" : ` · ${rank.best ? "★ best" : `rank ${rank.rank}`} · ${metric} ${formatFieldValue(rank.value)}`;
    label.textContent = `${run.run_id}${ranking}`;
  }
}
