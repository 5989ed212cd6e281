import type { CompareSelection, FromWebview, MessageOfType, RunAction, ToWebview } from "../../protocol/compare";
import type { Disposable } from "../util/emitter";
import type { ActionReport, Notice } from "./actionOutcome";
import { loadCurves } from "./curves";
import type { CompareRunSource } from "./runSource";
import { addToSelection, removeFromSelection, resolveSelection, selectionTitle } from "./selection";
import type { WhatChanged } from "./whatChanged/controller";

/** What the comparison needs from its surroundings (VS Code in the extension, fakes in tests). */
export interface CompareHost {
  /** Asks the user for runs to add; [] when they cancel. */
  pickRunsToAdd(compared: ReadonlySet<string>): Promise<string[]>;
  /** Asks where to save and writes the file; the path, or undefined when cancelled. */
  saveCsv(csv: string, fileName: string): Promise<string | undefined>;
  /** Checkout, worktree, reproduce…: what to tell the user in the panel afterwards, runs to add. */
  runAction(action: RunAction, runId: string): Promise<ActionReport>;
  /** The panel's title changed (what is compared). */
  setTitle(title: string): void;
}

export interface CompareControllerOptions {
  source: CompareRunSource;
  host: CompareHost;
  /** Delivers a message to the webview; false when it is not live (hidden), then it is dropped. */
  post(message: ToWebview): PromiseLike<boolean> | boolean;
  selection: CompareSelection;
  /** "What changed" between a base run and the others; without it the section says it is unavailable. */
  whatChanged?: WhatChanged;
}

type Handler<T extends FromWebview["type"]> = (controller: CompareController, message: MessageOfType<FromWebview, T>) => Promise<void>;

/** One small function per message from the webview, rather than one long switch. */
const HANDLERS: { [T in FromWebview["type"]]: Handler<T> } = {
  ready: (controller) => controller.refresh(),
  addRuns: async (controller) => {
    const picked = await controller.host.pickRunsToAdd(new Set(controller.selection.runIds));
    if (picked.length) await controller.setSelection(addToSelection(controller.selection, picked));
  },
  removeRuns: (controller, message) => controller.setSelection(removeFromSelection(controller.selection, message.runIds)),
  exportCsv: async (controller, message) => {
    const saved = await controller.host.saveCsv(message.csv, message.fileName);
    if (saved) await controller.notify({ level: "info", text: `Saved the table to ${saved}.` });
  },
  requestCurves: async (controller, message) => {
    await controller.post({ type: "curves", curves: await loadCurves(controller.source, message.runIds) });
  },
  requestTrials: async (controller, message) => {
    await controller.post({ type: "trials", runId: message.runId, trials: await controller.source.trials(message.runId) });
  },
  requestDiffs: (controller, message) => controller.requireWhatChanged().requestDiffs(message.baseRunId, message.runIds, (answer) => controller.post(answer)),
  openFileDiff: (controller, message) => controller.requireWhatChanged().openFileDiff(message.baseRunId, message.runId, message.path),
  openRowSample: (controller, message) => controller.requireWhatChanged().openRowSample(message.baseRunId, message.runId),
  runAction: async (controller, message) => {
    const report = await controller.host.runAction(message.action, message.runId);
    if (report.compareAlso?.length) await controller.setSelection(addToSelection(controller.selection, report.compareAlso));
    if (report.notice) await controller.notify(report.notice);
  },
};

/**
 * The comparison's logic, free of `vscode`: which runs are compared, what each webview message does,
 * and refreshing when the store changes. A refresh asked for while one is running runs once more
 * after it (the store may have changed meanwhile), never twice at the same time.
 */
export class CompareController implements Disposable {
  readonly source: CompareRunSource;
  readonly host: CompareHost;
  private readonly postMessage: CompareControllerOptions["post"];
  private readonly whatChanged: WhatChanged | undefined;
  private current: CompareSelection;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  private anyRunning = false;
  private disposed = false;

  constructor(options: CompareControllerOptions) {
    this.source = options.source;
    this.host = options.host;
    this.postMessage = options.post;
    this.current = options.selection;
    this.whatChanged = options.whatChanged;
  }

  requireWhatChanged(): WhatChanged {
    if (!this.whatChanged) throw new Error("What changed is not available in this panel.");
    return this.whatChanged;
  }

  get selection(): CompareSelection {
    return this.current;
  }

  /** True when a compared run was still running at the last refresh (a crash shows without a write). */
  get hasRunningRuns(): boolean {
    return this.anyRunning;
  }

  async handle(message: FromWebview): Promise<void> {
    // Each handler takes its own message type; the map guarantees the pairing, TypeScript cannot see it.
    const handler = HANDLERS[message.type] as (controller: CompareController, message: FromWebview) => Promise<void>;
    try {
      await handler(this, message);
    } catch (error) {
      await this.notify({ level: "error", text: error instanceof Error ? error.message : String(error) });
    }
  }

  async setSelection(selection: CompareSelection): Promise<void> {
    this.current = selection;
    await this.refresh();
  }

  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = this.refreshUntilSettled().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refreshUntilSettled(): Promise<void> {
    do {
      this.refreshAgain = false;
      await this.sendRuns();
    } while (this.refreshAgain && !this.disposed);
  }

  private async sendRuns(): Promise<void> {
    const resolved = resolveSelection(this.current, await this.source.list());
    this.current = resolved.selection;
    this.anyRunning = resolved.runs.some((run) => run.status === "running");
    const title = selectionTitle(resolved.selection, resolved.runs.length);
    this.host.setTitle(title);
    await this.post({ type: "runs", selection: resolved.selection, runs: resolved.runs, deleted: resolved.deleted, title });
  }

  notify(notice: Notice): Promise<boolean> {
    return this.post({ type: "notice", ...notice });
  }

  async post(message: ToWebview): Promise<boolean> {
    if (this.disposed) return false;
    return this.postMessage(message);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    this.disposed = true;
  }
}
