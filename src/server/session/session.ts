import * as fs from "node:fs";
import * as path from "node:path";
import type { Diagnostic } from "vscode-languageserver";
import type { ComponentsChangedParams, IndexStats, RunSummary } from "../../protocol/language";
import { componentsPayload } from "../features/componentsPayload";
import type { FeatureContext } from "../features/context";
import { problemsOf, toDiagnostic } from "../features/diagnostics";
import type { Problem } from "../features/problems";
import { WorkspaceIndex } from "../index/workspaceIndex";
import { RunStore } from "../runs/runStore";
import { STORE_DIR } from "../../core/store/store";
import { pathToUri } from "../util/uris";
import { Debouncer } from "./debouncer";
import { DiagnosticsPublisher } from "./diagnosticsPublisher";

/**
 * Building and comparing the whole component index costs tens of milliseconds in a workspace with
 * a thousand components: done after diagnostics, once edits pause, it never delays them.
 */
const COMPONENTS_DELAY_MS = 250;

/** What the session tells the client; the connection implements it, tests can too. */
export interface SessionHost {
  publishDiagnostics(uri: string, diagnostics: Diagnostic[]): void;
  componentsChanged(params: ComponentsChangedParams): void;
  refreshCodeLenses(): void;
  log(message: string): void;
}

export type FileChange = { readonly path: string; readonly type: "created" | "changed" | "deleted" };

/**
 * The server's state and its update cycle: changes go into the index at once, and after a pause
 * (or before any request) the index is re-linked, diagnostics are re-published where they changed,
 * and the client hears about new components and run counts.
 */
export class LanguageSession {
  readonly index = new WorkspaceIndex();
  private readonly runs: RunStore;
  private readonly publisher: DiagnosticsPublisher;
  private readonly debouncer: Debouncer;
  /** The component index (for the sidebar) follows on a slower beat than diagnostics. */
  private readonly componentsDebouncer: Debouncer;
  private problems = new Map<string, Problem[]>();
  private payloadText?: string;
  private lensSignature?: string;
  private readonly runsRead = new Set<string>();
  private readonly stats = { initialIndexMs: 0, lastUpdateMs: 0 };

  constructor(
    private readonly host: SessionHost,
    debounceMs: number,
  ) {
    this.runs = new RunStore((message) => host.log(message));
    this.publisher = new DiagnosticsPublisher((uri, diagnostics) => host.publishDiagnostics(uri, diagnostics));
    // Watcher events that change nothing (a save, a file outside the index) leave the index fresh.
    this.debouncer = new Debouncer(debounceMs, () => this.index.isStale && this.update());
    this.componentsDebouncer = new Debouncer(debounceMs + COMPONENTS_DELAY_MS, () => this.publishComponents());
  }

  /** Indexes the folders, reads their run stores, publishes everything once. */
  async start(folders: readonly string[]): Promise<void> {
    const started = performance.now();
    for (const folder of folders) this.index.addFolder(folder);
    await this.readRuns(this.index.linked().projects.projects.map((project) => project.root));
    this.update();
    this.componentsDebouncer.flush();
    this.stats.initialIndexMs = performance.now() - started;
  }

  documentChanged(file: string, text: string): void {
    if (this.index.setOpenText(file, text)) this.debouncer.schedule();
  }

  documentClosed(file: string): void {
    this.index.closeDocument(file);
    this.debouncer.schedule();
  }

  filesChanged(changes: readonly FileChange[]): void {
    const stores = new Set<string>();
    for (const change of changes) {
      const store = storeOwner(change.path);
      if (store) stores.add(store);
      else this.applyFileChange(change);
    }
    this.debouncer.schedule();
    if (stores.size) void this.runsChanged([...stores]);
  }

  private applyFileChange({ path: file, type }: FileChange): void {
    if (path.basename(file) === ".gitignore") this.index.gitignoreChanged(file);
    else if (type === "deleted") this.index.fileDeleted(file);
    else if (isDirectory(file)) this.index.directoryCreated(file);
    else this.index.fileChanged(file);
  }

  foldersChanged(added: readonly string[], removed: readonly string[]): void {
    for (const folder of removed) this.index.removeFolder(folder);
    for (const folder of added) this.index.addFolder(folder);
    this.debouncer.schedule();
  }

  /** Re-reads run stores (all when none is named) and tells the client if counts changed. */
  async runsChanged(workspaces?: readonly string[]): Promise<void> {
    const roots = workspaces ?? this.context().linked.projects.projects.map((project) => project.root);
    if (await this.readRuns(roots)) this.publishComponents();
  }

  private async readRuns(roots: readonly string[]): Promise<boolean> {
    let changed = false;
    for (const root of roots) {
      this.runsRead.add(root);
      if (await this.runs.refresh(root)) changed = true;
    }
    return changed;
  }

  /** The up-to-date index for a request: pending changes are linked first. */
  context(): FeatureContext {
    this.debouncer.flush();
    if (this.index.isStale) this.update();
    return this.featureContext();
  }

  problemsIn(file: string): readonly Problem[] {
    this.context();
    return this.problems.get(file) ?? [];
  }

  componentsPayload(): ComponentsChangedParams {
    return componentsPayload(this.context());
  }

  indexStats(): IndexStats {
    const context = this.context();
    return {
      files: this.index.table.size,
      parsedFiles: this.index.table.parsedCount,
      components: context.linked.allRegistries().reduce((n, r) => n + r.components().filter((c) => !c.builtin).length, 0),
      initialIndexMs: Math.round(this.stats.initialIndexMs * 10) / 10,
      lastUpdateMs: Math.round(this.stats.lastUpdateMs * 10) / 10,
    };
  }

  private featureContext(): FeatureContext {
    return {
      linked: this.index.linked(),
      table: this.index.table,
      runsOf: (workspace: string, model: string): RunSummary | undefined => this.runs.summaryOf(workspace, model),
    };
  }

  /** Re-links, re-publishes changed diagnostics and tells the client about changed components. */
  private update(): void {
    const started = performance.now();
    const context = this.featureContext();
    const problems = new Map<string, Problem[]>();
    const diagnostics = new Map<string, Diagnostic[]>();
    for (const file of context.linked.factsFiles()) {
      const found = problemsOf(context.linked, context.table, file);
      if (!found.length) continue;
      problems.set(file, found);
      diagnostics.set(pathToUri(file), found.flatMap((problem) => toDiagnostic(problem, context.table, file) ?? []));
    }
    this.problems = problems;
    this.publisher.update(diagnostics);
    this.componentsDebouncer.schedule();
    this.readNewStores(context);
    this.stats.lastUpdateMs = performance.now() - started;
  }

  private publishComponents(): void {
    const payload = componentsPayload(this.featureContext());
    const text = JSON.stringify(payload);
    if (text !== this.payloadText) {
      this.payloadText = text;
      this.host.componentsChanged(payload);
    }
    // Lenses show names and run counts, not positions: moving a class must not refresh them all.
    const signature = JSON.stringify(payload.components.map((c) => [c.workspace, c.kind, c.name, c.location?.uri, c.runs]));
    if (signature !== this.lensSignature) {
      const first = this.lensSignature === undefined;
      this.lensSignature = signature;
      if (!first) this.host.refreshCodeLenses();
    }
  }

  /** A config file appeared: its mlexp workspace may have runs already. */
  private readNewStores(context: FeatureContext): void {
    const unread = context.linked.projects.projects.map((p) => p.root).filter((root) => !this.runsRead.has(root));
    if (unread.length) void this.readRuns(unread).then((changed) => changed && this.publishComponents());
  }

  dispose(): void {
    this.debouncer.dispose();
    this.componentsDebouncer.dispose();
    this.runs.close();
  }
}

/** The mlexp workspace whose run database (or its journal of recent writes) this is, if it is one. */
function storeOwner(file: string): string | undefined {
  const dir = path.dirname(file);
  return ["mlexp.db", "mlexp.journal"].includes(path.basename(file)) && path.basename(dir) === STORE_DIR ? path.dirname(dir) : undefined;
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}
