import * as vscode from "vscode";
import { RUN_DETAILS_SCHEME } from "../constants";
import { runDetailsMarkdown } from "./runDetails";
import type { RunRepository } from "./runRepository";

/** Opens runs side by side. Today a read-only Markdown document; the comparison webview (issue 5) implements the same interface. */
export interface RunComparer {
  compare(runIds: readonly string[]): Promise<void>;
}

/**
 * Read-only `mlexp-run:` documents: one run's fields, or several runs compared. They follow the
 * store: an open document is updated when the run database changes.
 */
export class RunDetailsDocuments implements vscode.TextDocumentContentProvider, RunComparer, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor(private readonly repository: () => RunRepository | undefined) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(RUN_DETAILS_SCHEME, this);
  }

  static uriFor(runIds: readonly string[]): vscode.Uri {
    const name = runIds.length === 1 ? `Run ${runIds[0]}` : `${runIds.length} runs compared`;
    return vscode.Uri.from({ scheme: RUN_DETAILS_SCHEME, path: `/${name}.md`, query: new URLSearchParams({ ids: runIds.join(",") }).toString() });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ids = (new URLSearchParams(uri.query).get("ids") ?? "").split(",").filter(Boolean);
    const repository = this.repository();
    if (!repository) return "# No mlexp workspace is open\n";
    try {
      const runs = await Promise.all(ids.map((id) => repository.get(id)));
      return runDetailsMarkdown(runs);
    } catch (error) {
      return `# Could not read the runs\n\n${error instanceof Error ? error.message : String(error)}\n`;
    }
  }

  async compare(runIds: readonly string[]): Promise<void> {
    await this.show(runIds);
  }

  async show(runIds: readonly string[]): Promise<void> {
    const document = await vscode.workspace.openTextDocument(RunDetailsDocuments.uriFor(runIds));
    await vscode.languages.setTextDocumentLanguage(document, "markdown");
    await vscode.window.showTextDocument(document, { preview: true });
  }

  /** The store changed: every open details document is read again. */
  refreshOpenDocuments(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme === RUN_DETAILS_SCHEME) this.changed.fire(document.uri);
    }
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
