import type { Diagnostic } from "vscode-languageserver";

export type PublishDiagnostics = (uri: string, diagnostics: Diagnostic[]) => void;

/**
 * Sends each file's diagnostics only when they changed, and clears files whose problems are gone:
 * after an edit in a workspace of thousands of files, only the few affected ones are sent.
 */
export class DiagnosticsPublisher {
  private readonly sent = new Map<string, string>();

  constructor(private readonly publish: PublishDiagnostics) {}

  /** `current`: the diagnostics of every file that has some now. */
  update(current: ReadonlyMap<string, Diagnostic[]>): void {
    for (const [uri, diagnostics] of current) {
      const text = JSON.stringify(diagnostics);
      if (this.sent.get(uri) === text) continue;
      this.sent.set(uri, text);
      this.publish(uri, diagnostics);
    }
    for (const uri of [...this.sent.keys()]) {
      if (current.has(uri)) continue;
      this.sent.delete(uri);
      this.publish(uri, []);
    }
  }
}
