import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type ServerCapabilities,
} from "vscode-languageserver";

export const SERVER_CAPABILITIES: ServerCapabilities = {
  textDocumentSync: TextDocumentSyncKind.Incremental,
  codeLensProvider: { resolveProvider: false },
  // Quotes open a name string; the rest is filtered by the client as the user types.
  completionProvider: { triggerCharacters: ['"', "'", "`"], resolveProvider: false },
  definitionProvider: true,
  hoverProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
};

/**
 * Files whose changes on disk matter: sources, `.gitignore`s, and each mlexp workspace's run
 * database (run counts in lenses and hovers). Registered by the server, so the extension needs no
 * file-watching code of its own.
 */
export const WATCHED_GLOBS = ["**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}", "**/.gitignore", "**/.mlexp/mlexp.db", "**/.mlexp/mlexp.journal"];

export function canWatchFiles(capabilities: ClientCapabilities): boolean {
  return capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
}

export function canRefreshCodeLenses(capabilities: ClientCapabilities): boolean {
  return capabilities.workspace?.codeLens?.refreshSupport === true;
}

export async function registerFileWatchers(connection: Connection): Promise<void> {
  await connection.client.register(DidChangeWatchedFilesNotification.type, {
    watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })),
  });
}
