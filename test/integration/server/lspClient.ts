/**
 * A minimal LSP client for tests and the benchmark: starts dist/server.js as a process, talks to it
 * over stdio with vscode-jsonrpc, and records what the server pushes (diagnostics, component index,
 * lens refreshes) so tests can wait for it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import type {
  CodeAction,
  CodeLens,
  CompletionItem,
  CompletionList,
  Diagnostic,
  FileChangeType,
  Hover,
  Location,
  Position,
  PublishDiagnosticsParams,
  Range,
} from "vscode-languageserver";
import { ComponentsChangedNotification, GetIndexStatsRequest, type ComponentsChangedParams, type IndexStats, type LanguageServerOptions } from "../../../src/protocol/language";

export const SERVER = path.resolve(__dirname, "../../../dist/server.js");

export const uriOf = (file: string): string => pathToFileURL(file).href;

interface Waiter {
  check: () => boolean;
  resolve: () => void;
}

export class LspClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  components?: ComponentsChangedParams;
  componentsVersion = 0;
  lensRefreshes = 0;
  readonly registrations: unknown[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  /** What the server logged (window/logMessage), in order. */
  readonly logMessages: string[] = [];
  private stderr = "";

  private constructor(
    private readonly child: ChildProcess,
    readonly connection: MessageConnection,
  ) {
    child.stderr?.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    connection.onNotification("textDocument/publishDiagnostics", (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params.diagnostics);
      this.poke();
    });
    connection.onNotification(ComponentsChangedNotification, (params) => {
      this.components = params;
      this.componentsVersion++;
      this.poke();
    });
    connection.onNotification("window/logMessage", (params: { message: string }) => {
      this.logMessages.push(params.message);
      this.poke();
    });
    connection.onRequest("workspace/codeLens/refresh", () => {
      this.lensRefreshes++;
      this.poke();
      return null;
    });
    connection.onRequest("client/registerCapability", (params: unknown) => {
      this.registrations.push(params);
      return null;
    });
  }

  /** Starts the server on `root` (with `env` added to this process's, e.g. MLEXP_STORE) and completes the initialize handshake. */
  static async start(root: string, options: LanguageServerOptions = { debounceMs: 0 }, env?: NodeJS.ProcessEnv): Promise<LspClient> {
    const child = spawn(process.execPath, [SERVER, "--stdio"], { stdio: ["pipe", "pipe", "pipe"], ...(env ? { env: { ...process.env, ...env } } : {}) });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspClient(child, connection);
    connection.listen();
    await connection.sendRequest("initialize", {
      processId: process.pid,
      rootUri: uriOf(root),
      workspaceFolders: [{ uri: uriOf(root), name: path.basename(root) }],
      initializationOptions: options,
      capabilities: {
        workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, codeLens: { refreshSupport: true }, workspaceFolders: true },
        textDocument: { publishDiagnostics: {}, completion: { completionItem: { snippetSupport: true } } },
      },
    });
    await connection.sendNotification("initialized", {});
    return client;
  }

  /** Resolves once `check` holds, re-checked after each server push; fails after `timeoutMs`. */
  waitFor(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`Timed out waiting for ${what}. Server stderr: ${this.stderr}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private poke(): void {
    for (const waiter of [...this.waiters]) {
      if (!waiter.check()) continue;
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }

  /** What the server wrote to stderr so far. */
  stderrText(): string {
    return this.stderr;
  }

  diagnosticsOf(file: string): Diagnostic[] {
    return this.diagnostics.get(uriOf(file)) ?? [];
  }

  waitForDiagnostics(file: string, check: (diagnostics: Diagnostic[]) => boolean): Promise<void> {
    return this.waitFor(`diagnostics of ${path.basename(file)}`, () => check(this.diagnosticsOf(file)));
  }

  async waitForIndex(): Promise<ComponentsChangedParams> {
    await this.waitFor("the component index", () => this.components !== undefined);
    return this.components as ComponentsChangedParams;
  }

  async open(file: string, text = fs.readFileSync(file, "utf8")): Promise<void> {
    this.versions.set(file, 1);
    this.texts.set(file, text);
    const languageId = /\.[cm]?jsx?$/.test(file) ? "javascript" : "typescript";
    await this.connection.sendNotification("textDocument/didOpen", { textDocument: { uri: uriOf(file), languageId, version: 1, text } });
  }

  /** Replaces the whole text of an open document (a valid change under incremental sync too). */
  async change(file: string, text: string): Promise<void> {
    const version = (this.versions.get(file) ?? 1) + 1;
    this.versions.set(file, version);
    this.texts.set(file, text);
    await this.connection.sendNotification("textDocument/didChange", { textDocument: { uri: uriOf(file), version }, contentChanges: [{ text }] });
  }

  async close(file: string): Promise<void> {
    await this.connection.sendNotification("textDocument/didClose", { textDocument: { uri: uriOf(file) } });
  }

  async filesChanged(changes: { file: string; type: FileChangeType }[]): Promise<void> {
    await this.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: changes.map((c) => ({ uri: uriOf(c.file), type: c.type })) });
  }

  /** The position of `needle` in the file's current text (the open text, or the disk's), plus `delta` characters. */
  positionOf(file: string, needle: string, delta = 0): Position {
    const text = this.texts.get(file) ?? fs.readFileSync(file, "utf8");
    const offset = text.indexOf(needle);
    if (offset < 0) throw new Error(`"${needle}" is not in ${file}`);
    const before = text.slice(0, offset + delta).split("\n");
    return { line: before.length - 1, character: before[before.length - 1].length };
  }

  codeLenses(file: string): Promise<CodeLens[]> {
    return this.connection.sendRequest("textDocument/codeLens", { textDocument: { uri: uriOf(file) } });
  }

  hover(file: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest("textDocument/hover", { textDocument: { uri: uriOf(file) }, position });
  }

  definition(file: string, position: Position): Promise<Location | null> {
    return this.connection.sendRequest("textDocument/definition", { textDocument: { uri: uriOf(file) }, position });
  }

  async completion(file: string, position: Position): Promise<CompletionItem[]> {
    const result: CompletionItem[] | CompletionList | null = await this.connection.sendRequest("textDocument/completion", {
      textDocument: { uri: uriOf(file) },
      position,
    });
    return Array.isArray(result) ? result : (result?.items ?? []);
  }

  codeActions(file: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    return this.connection.sendRequest("textDocument/codeAction", { textDocument: { uri: uriOf(file) }, range, context: { diagnostics } });
  }

  indexStats(): Promise<IndexStats> {
    return this.connection.sendRequest(GetIndexStatsRequest);
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest("shutdown"), new Promise((resolve) => setTimeout(resolve, 2000))]);
      await this.connection.sendNotification("exit");
    } catch {
      // The process may already be gone.
    }
    this.connection.dispose();
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    if (this.child.exitCode === null) await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
    if (this.child.exitCode === null) this.child.kill();
  }
}
