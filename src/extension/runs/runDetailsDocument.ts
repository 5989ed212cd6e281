import * as vscode from "vscode";
import { RUN_DETAILS_SCHEME } from "../constants";
import { runDetailsMarkdown } from "./runDetails";
import type { RunRepository } from "./runRepository";

/**
 * Read-only `mlexp-run:` documents ("Show Run Details"): one run's fields, or several runs in one
 * table. They follow the store: an open document is updated when the run database changes. Runs
 * are compared interactively in the comparison panel (src/extension/compare).
 */
export class RunDetailsDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
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
