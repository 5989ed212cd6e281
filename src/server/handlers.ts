import {
  CodeLensRefreshRequest,
  FileChangeType,
  TextDocuments,
  type ClientCapabilities,
  type Connection,
  type InitializeParams,
  type Position,
} from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import {
  ComponentsChangedNotification,
  GetComponentsRequest,
  GetIndexStatsRequest,
  RunsChangedNotification,
  type LanguageServerOptions,
} from "../protocol/language";
import { canRefreshCodeLenses, canWatchFiles, registerFileWatchers, SERVER_CAPABILITIES } from "./capabilities";
import { quickFixes } from "./features/codeActions";
import { codeLenses } from "./features/codeLens";
import { completion } from "./features/completion";
import type { FeatureContext } from "./features/context";
import { definition } from "./features/definition";
import { toDiagnostic } from "./features/diagnostics";
import { hover } from "./features/hover";
import { LanguageSession, type FileChange, type SessionHost } from "./session/session";
import { offsetAt } from "./util/positions";
import { uriToPath } from "./util/uris";

const DEFAULT_DEBOUNCE_MS = 150;

/** Wires a connection to a session: LSP requests and notifications in, results out. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let capabilities: ClientCapabilities = {};
  let folders: string[] = [];
  let session: LanguageSession | undefined;
  let markReady: () => void = () => undefined;
  // Nothing is answered before the first index exists; notifications queue behind it in order.
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const whenReady = async (): Promise<LanguageSession> => {
    await ready;
    return session as LanguageSession;
  };
  const later = (work: (s: LanguageSession) => void): void => void whenReady().then(work);

  connection.onInitialize((params) => {
    capabilities = params.capabilities;
    folders = workspaceFolders(params);
    const options = (params.initializationOptions ?? {}) as LanguageServerOptions;
    session = new LanguageSession(sessionHost(connection, () => capabilities), options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
    return { capabilities: SERVER_CAPABILITIES, serverInfo: { name: "mlexp-language-server" } };
  });

  connection.onInitialized(() => {
    if (capabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) =>
        later((s) => s.foldersChanged(folderPaths(event.added), folderPaths(event.removed))),
      );
    }
    if (canWatchFiles(capabilities)) void registerFileWatchers(connection);
    void (session as LanguageSession).start(folders).then(markReady, (error: unknown) => {
      connection.console.error(`mlexp: indexing failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      markReady();
    });
  });

  documents.onDidChangeContent((event) => {
    const file = uriToPath(event.document.uri);
    if (file) later((s) => s.documentChanged(file, event.document.getText()));
  });
  documents.onDidClose((event) => {
    const file = uriToPath(event.document.uri);
    if (file) later((s) => s.documentClosed(file));
  });
  connection.onDidChangeWatchedFiles((params) => {
    const changes = params.changes.flatMap((change): FileChange[] => {
      const file = uriToPath(change.uri);
      return file ? [{ path: file, type: changeType(change.type) }] : [];
    });
    later((s) => s.filesChanged(changes));
  });

  const at = async <T>(uri: string, position: Position, fallback: T, answer: (context: FeatureContext, file: string, offset: number) => T): Promise<T> => {
    const s = await whenReady();
    const file = uriToPath(uri);
    const context = s.context();
    const source = file && context.table.get(file);
    return file && source ? answer(context, file, offsetAt(source, position)) : fallback;
  };

  connection.onHover((params) => at(params.textDocument.uri, params.position, null, hover));
  connection.onDefinition((params) => at(params.textDocument.uri, params.position, null, definition));
  connection.onCompletion((params) => at(params.textDocument.uri, params.position, [], completion));
  connection.onCodeLens(async (params) => {
    const s = await whenReady();
    const file = uriToPath(params.textDocument.uri);
    return file ? codeLenses(s.context(), file) : [];
  });
  connection.onCodeAction(async (params) => {
    const s = await whenReady();
    const file = uriToPath(params.textDocument.uri);
    const source = file && s.context().table.get(file);
    if (!file || !source) return [];
    const diagnostic = (problem: Parameters<typeof toDiagnostic>[0]) => toDiagnostic(problem, s.context().table, file);
    return quickFixes(s.problemsIn(file), source, params.textDocument.uri, params.range, diagnostic);
  });

  connection.onRequest(GetComponentsRequest, async () => (await whenReady()).componentsPayload());
  connection.onRequest(GetIndexStatsRequest, async () => (await whenReady()).indexStats());
  connection.onNotification(RunsChangedNotification, (params) =>
    later((s) => void s.runsChanged(params?.workspace ? [params.workspace] : undefined)),
  );
  connection.onShutdown(() => session?.dispose());

  documents.listen(connection);
  connection.listen();
}

function sessionHost(connection: Connection, capabilities: () => ClientCapabilities): SessionHost {
  return {
    publishDiagnostics: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
    componentsChanged: (params) => void connection.sendNotification(ComponentsChangedNotification, params),
    refreshCodeLenses: () => {
      if (canRefreshCodeLenses(capabilities())) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    },
    log: (message) => connection.console.log(message),
  };
}

function workspaceFolders(params: InitializeParams): string[] {
  if (params.workspaceFolders?.length) return folderPaths(params.workspaceFolders);
  const root = params.rootUri ? uriToPath(params.rootUri) : (params.rootPath ?? undefined);
  return root ? [root] : [];
}

function folderPaths(folders: readonly { uri: string }[]): string[] {
  return folders.flatMap((folder) => uriToPath(folder.uri) ?? []);
}

function changeType(type: FileChangeType): FileChange["type"] {
  return type === FileChangeType.Created ? "created" : type === FileChangeType.Deleted ? "deleted" : "changed";
}
