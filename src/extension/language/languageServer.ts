import type { ComponentsChangedParams } from "../../protocol/language";
import type { MlexpLanguageClient } from "./languageClient";
import type { ComponentIndexProvider } from "./languageServerComponentSource";

/**
 * The language server as the rest of the extension uses it, started in the background: activation
 * must not wait for a process to start and index the workspace. Until the server is up, index
 * requests wait for it (the Components view then fills from the index, not from a bundling
 * worker); if it cannot start, `indexProvider()` says so and the view falls back to the worker.
 * No `vscode` import, so that the states can be unit-tested with a fake client.
 */
export class BackgroundLanguageServer {
  private client: MlexpLanguageClient | undefined;
  private failed = false;
  private disposed = false;
  private readonly started: Promise<MlexpLanguageClient | undefined>;

  constructor(start: () => Promise<MlexpLanguageClient>, onStartFailed: (message: string) => void) {
    this.started = start().then(
      (client) => this.adopt(client),
      (error: unknown) => {
        this.failed = true;
        onStartFailed(error instanceof Error ? error.message : String(error));
        return undefined;
      },
    );
  }

  /** Resolves once the server is running or has failed (for tests and callers that must know). */
  whenStarted(): Promise<boolean> {
    return this.started.then((client) => client !== undefined);
  }

  /** The index as the Components view reads it; undefined when the server failed to start. */
  indexProvider(): ComponentIndexProvider | undefined {
    if (this.failed || this.disposed) return undefined;
    return {
      components: this.client?.components,
      requestComponents: () => this.requestComponents(),
    };
  }

  /**
   * The run store of `workspace` changed: the lenses' "N runs · best …" follow at once. Before the
   * server runs there is nothing to tell: it reads every store when it starts.
   */
  notifyRunsChanged(workspace: string | undefined): void {
    this.client?.notifyRunsChanged(workspace);
  }

  dispose(): void {
    this.disposed = true;
    this.client?.dispose();
  }

  private adopt(client: MlexpLanguageClient): MlexpLanguageClient | undefined {
    // Deactivated while the server was starting: nothing else would stop it.
    if (this.disposed) {
      client.dispose();
      return undefined;
    }
    this.client = client;
    return client;
  }

  private async requestComponents(): Promise<ComponentsChangedParams> {
    const client = await this.started;
    if (!client) throw new Error("The mlexp language server is not running.");
    return client.requestComponents();
  }
}
