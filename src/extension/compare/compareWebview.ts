import * as vscode from "vscode";
import { isFromWebview, type CompareSelection } from "../../protocol/compare";
import { CompareController } from "./controller";
import { comparePanelHtml, createNonce } from "./html";
import type { CompareRunSource } from "./runSource";
import { createVscodeCompareHost, type RunActionRunner } from "./vscodeHost";
import { WhatChanged, type WhatChangedHost } from "./whatChanged/controller";
import type { RunDiffSource } from "./whatChanged/diffSource";

export interface CompareWebviewOptions {
  extensionUri: vscode.Uri;
  source: CompareRunSource;
  folder(): string | undefined;
  runAction: RunActionRunner;
  log(message: string): void;
  /** "What changed": the run diffs and the documents they open. */
  diffs?: { source: RunDiffSource; host: WhatChangedHost };
}

/** The bundled page's files, the only ones the webview may load. */
export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, "dist", "webview");
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  // No retainContextWhenHidden: a hidden panel costs no memory; the page restores itself from
  // getState and asks for the runs again when shown.
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] };
}

/**
 * One open comparison panel: its page, its controller, and the wiring between them. Created for a
 * new panel or for one VS Code restores after a reload (the panel serializer hands it over).
 */
export class CompareWebview implements vscode.Disposable {
  readonly controller: CompareController;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  private readonly activated = new vscode.EventEmitter<void>();
  /** The user focused this panel: it is the one the next comparison reuses. */
  readonly onDidBecomeActive = this.activated.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    selection: CompareSelection,
    options: CompareWebviewOptions,
  ) {
    const webview = panel.webview;
    webview.options = webviewOptions(options.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(options.extensionUri, "media", "mlexp.svg");
    const host = createVscodeCompareHost({ source: options.source, folder: options.folder, runAction: options.runAction, setTitle: (title) => (panel.title = `Compare: ${title}`) });
    const whatChanged = options.diffs && new WhatChanged(options.diffs.source, options.diffs.host);
    this.controller = new CompareController({ source: options.source, host, selection, post: (message) => webview.postMessage(message), whatChanged });
    this.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => this.receive(message, options.log)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState((event) => {
        if (event.webviewPanel.active) this.activated.fire();
      }),
      this.disposed,
      this.activated,
    );
    webview.html = this.html(options.extensionUri);
  }

  private html(extensionUri: vscode.Uri): string {
    const { webview } = this.panel;
    const file = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot(extensionUri), name)).toString();
    return comparePanelHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: file("compare.js"),
      styleUri: file("compare.css"),
      codiconsUri: file("codicon.css"),
    });
  }

  private receive(message: unknown, log: (message: string) => void): void {
    if (!isFromWebview(message)) {
      log(`Comparison panel: ignored a malformed message ${JSON.stringify(message)?.slice(0, 200)}`);
      return;
    }
    void this.controller.handle(message);
  }

  /** The store changed: only a visible panel has a page to update (a hidden one reloads when shown). */
  refresh(): void {
    if (this.panel.visible) void this.controller.refresh();
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  dispose(): void {
    if (this.controller.isDisposed) return;
    this.controller.dispose();
    this.disposed.fire();
    for (const disposable of this.disposables) disposable.dispose();
    this.panel.dispose();
  }
}
