import * as vscode from "vscode";
import { redactUrl } from "../../core/store/storeUrl";

/**
 * The team store's password, kept in VS Code's SecretStorage (the OS keychain), never in settings.
 * It is keyed by the store URL (which has no password), loaded at activation and whenever it or
 * the setting changes, and handed to the in-process store and, as PGPASSWORD, to the training
 * process and the language server — never to logs or the webview.
 */
export class StoreCredentials implements vscode.Disposable {
  private password: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly storeUrl: () => string | undefined,
  ) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === this.key()) void this.load();
    });
  }

  /** The password for the current store, if one was given. */
  get current(): string | undefined {
    return this.password;
  }

  /** PGPASSWORD for child processes, when a password was given here. */
  env(): Record<string, string> {
    return this.password ? { PGPASSWORD: this.password } : {};
  }

  async load(): Promise<void> {
    const key = this.key();
    const password = key ? await this.secrets.get(key) : undefined;
    if (password === this.password) return;
    this.password = password;
    this.changed.fire();
  }

  /** The command mlexp: Set Team Store Password. */
  async ask(): Promise<void> {
    const url = this.storeUrl();
    const key = this.key();
    if (!url || !key) {
      void vscode.window.showInformationMessage("mlexp uses the workspace's own database: set mlexp.store to a postgresql:// URL first.");
      return;
    }
    const password = await vscode.window.showInputBox({ password: true, ignoreFocusOut: true, prompt: `Password for ${redactUrl(url)} (kept in VS Code's secret storage)` });
    if (password === undefined) return;
    if (password) await this.secrets.store(key, password);
    else await this.secrets.delete(key);
    await this.load();
  }

  private key(): string | undefined {
    const url = this.storeUrl();
    return url && /^postgres(ql)?:/i.test(url) ? `mlexp.store.password:${redactUrl(url)}` : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
