import type { RunDiff } from "../../../src/core/diff/types";
import type { ModelRun } from "../../../src/core/store/runRecord";
import type { FromWebview, RunDiffMessage } from "../../../src/protocol/compare";
import { countOf, h } from "../dom";
import { labelled, syncSelect } from "../select";
import { codePart, dataPart, environmentPart, parametersPart } from "./parts";

/** At most this many runs are diffed against the base at once: each diff runs git and reads data. */
export const MAX_DIFFED_RUNS = 12;

type Outcome = { diff: RunDiff } | { error: string };

/**
 * "What changed": a base run (chosen in the section, the oldest by default) against each other
 * compared run — the summary sentence first, then code, data, parameters and environment. Diffs are
 * asked for when the section is open and a run has none yet; each arrives in its own message.
 */
export class WhatChangedView {
  readonly element = h("vscode-collapsible", { class: "what-changed", heading: "What changed" });
  private readonly base = h("vscode-single-select", { class: "diff-base-select" });
  private readonly cards = h("div", { class: "diff-cards" });
  private readonly note = h("p", { class: "empty-note", hidden: true });
  private runs: ModelRun[] = [];
  private baseRunId: string | null = null;
  private readonly outcomes = new Map<string, Outcome>();
  private readonly asked = new Set<string>();

  constructor(
    private readonly post: (message: FromWebview) => void,
    /** Open or closed, and the chosen base run: kept in the panel's state, so they survive the page being hidden. */
    private readonly onView: (patch: { whatChangedOpen?: boolean; diffBaseRunId?: string | null }) => void,
    saved: { whatChangedOpen: boolean; diffBaseRunId: string | null },
  ) {
    this.baseRunId = saved.diffBaseRunId;
    if (saved.whatChangedOpen) this.element.setAttribute("open", "");
    this.base.addEventListener("change", () => this.chooseBase(this.base.value));
    this.element.addEventListener("vsc-collapsible-toggle", () => {
      this.onView({ whatChangedOpen: this.isOpen() });
      this.requestMissing();
    });
    this.element.append(h("div", { class: "diff-toolbar" }, labelled("diff-base", "Base run", this.base)), this.note, this.cards);
  }

  /** The compared runs changed (a refresh, runs added or removed). */
  update(runs: readonly ModelRun[]): void {
    this.runs = [...runs].sort((a, b) => a.start_time.localeCompare(b.start_time) || a.run_id.localeCompare(b.run_id));
    if (!this.baseRunId || !this.runs.some((run) => run.run_id === this.baseRunId)) this.baseRunId = this.runs[0]?.run_id ?? null;
    syncSelect(this.base, this.runs.map((run) => ({ value: run.run_id, label: `${run.run_id} · ${run.model_class}` })), this.baseRunId);
    this.element.setAttribute("description", this.runs.length < 2 ? "compare two or more runs" : `code, data, parameters and environment against ${this.baseRunId}`);
    this.render();
    this.requestMissing();
  }

  receive(message: RunDiffMessage): void {
    const key = keyOf(message.baseRunId, message.runId);
    this.outcomes.set(key, message.diff ? { diff: message.diff } : { error: message.error ?? "unknown error" });
    if (message.baseRunId === this.baseRunId) this.render();
  }

  private chooseBase(runId: string): void {
    if (!runId || runId === this.baseRunId) return;
    this.baseRunId = runId;
    this.onView({ diffBaseRunId: runId });
    this.element.setAttribute("description", `code, data, parameters and environment against ${runId}`);
    this.render();
    this.requestMissing();
  }

  private others(): ModelRun[] {
    return this.runs.filter((run) => run.run_id !== this.baseRunId).slice(0, MAX_DIFFED_RUNS);
  }

  private requestMissing(): void {
    const base = this.baseRunId;
    if (!base || !this.isOpen()) return;
    // A run still training is asked again on each refresh; a finished one once.
    const missing = this.others()
      .filter((run) => run.status === "running" || !this.asked.has(keyOf(base, run.run_id)))
      .map((run) => run.run_id);
    if (!missing.length) return;
    for (const runId of missing) this.asked.add(keyOf(base, runId));
    this.post({ type: "requestDiffs", baseRunId: base, runIds: missing });
  }

  private isOpen(): boolean {
    return (this.element as HTMLElement & { open?: boolean }).open === true;
  }

  private render(): void {
    const base = this.baseRunId;
    const others = this.others();
    const hidden = this.runs.length - 1 - others.length;
    this.note.hidden = others.length > 0 && hidden <= 0;
    this.note.textContent = others.length === 0 ? "Add another run to see what changed." : `Showing the first ${countOf(others.length, "run")}; ${countOf(hidden, "more run")} not diffed.`;
    if (!base) {
      this.cards.replaceChildren();
      return;
    }
    this.cards.replaceChildren(...others.map((run) => this.card(base, run)));
  }

  private card(base: string, run: ModelRun): HTMLElement {
    const outcome = this.outcomes.get(keyOf(base, run.run_id));
    const heading = h("h3", { class: "diff-run" }, h("span", { class: "mono" }, run.run_id), ` ${run.model_class}`);
    const card = h("article", { class: "diff-card", "data-run-id": run.run_id, "aria-label": `What changed from ${base} to ${run.run_id}` }, heading);
    if (!outcome) card.append(h("p", { class: "diff-loading" }, "Comparing…"));
    else if ("error" in outcome) card.append(h("p", { class: "diff-error" }, outcome.error));
    else card.append(...this.parts(base, run.run_id, outcome.diff));
    return card;
  }

  private parts(base: string, runId: string, diff: RunDiff): HTMLElement[] {
    const actions = {
      openFile: (path: string) => this.post({ type: "openFileDiff", baseRunId: base, runId, path }),
      openRows: () => this.post({ type: "openRowSample", baseRunId: base, runId }),
    };
    return [
      h("p", { class: "diff-summary" }, diff.summary.replace(/^B /, `${runId} `).replace(/ from A /, ` from ${base} `)),
      h("div", { class: "diff-parts" }, codePart(diff.code, actions), dataPart(diff.data, actions), parametersPart(diff.parameters), environmentPart(diff.environment)),
    ];
  }
}

function keyOf(baseRunId: string, runId: string): string {
  return `${baseRunId} ${runId}`;
}
