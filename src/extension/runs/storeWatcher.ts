import * as vscode from "vscode";
import { Debouncer } from "../util/debounce";
import type { RunRepository } from "./runRepository";

/**
 * Tells the Runs view when the run database changed on disk — this window's trainings, another
 * window's, the CLI's. Every write appends to .mlexp/mlexp.journal (and now and then a checkpoint
 * renames a new .mlexp/mlexp.db in); file watchers see that as create/change/delete depending on
 * the platform, and can miss it (network drives, some containers), so a cheap poll of the two
 * files' identities and sizes backs them up. The poll also ticks
 * while runs are running, so a killed process shows as crashed without any write.
 */
export class StoreWatcher implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly ticked = new vscode.EventEmitter<void>();
  /** Every poll interval, whether or not the file changed. */
  readonly onDidTick = this.ticked.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly problemChanged = new vscode.EventEmitter<string | undefined>();
  /** The store cannot be read (its one-line message: a team server that is down), or can again (undefined). */
  readonly onDidChangeProblem = this.problemChanged.event;
  private readonly debouncer = new Debouncer(() => this.checkNow(), 150);
  private lastFingerprint: string;
  private problem: string | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly repository: RunRepository,
    folder: vscode.Uri,
    pollIntervalMs: number,
  ) {
    this.lastFingerprint = repository.fingerprint();
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, ".mlexp/mlexp.{db,journal}"));
    const trigger = () => this.debouncer.trigger();
    this.disposables.push(watcher, watcher.onDidCreate(trigger), watcher.onDidChange(trigger), watcher.onDidDelete(trigger), this.changed, this.ticked, this.problemChanged, this.debouncer);
    this.setPollInterval(pollIntervalMs);
  }

  setPollInterval(ms: number): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = ms > 0 ? setInterval(() => this.poll(), ms) : undefined;
  }

  /** Checks the store now; fires onDidChange if it changed since the last check. */
  checkNow(): void {
    void this.repository.changeToken().then(
      (token) => {
        if (this.problem !== undefined) this.setProblem(undefined);
        if (token === this.lastFingerprint) return;
        this.lastFingerprint = token;
        this.changed.fire();
      },
      // A team store that is down: the views keep what they show and say why; the next poll tries again.
      (error: unknown) => this.setProblem(error instanceof Error ? error.message : String(error)),
    );
  }

  private setProblem(problem: string | undefined): void {
    if (problem === this.problem) return;
    this.problem = problem;
    this.problemChanged.fire(problem);
  }

  private poll(): void {
    this.checkNow();
    this.ticked.fire();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
