/**
 * Starts the mlexp language server (dist/server.js) for the extension and relays its component
 * index. The extension calls `startLanguageClient` once on activation; everything it returns is
 * also registered in `context.subscriptions`, so deactivation stops the server.
 */
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import {
  ComponentsChangedNotification,
  GetComponentsRequest,
  RunsChangedNotification,
  type ComponentsChangedParams,
  type LanguageServerOptions,
  type RunsChangedParams,
} from "../../protocol/language";

export interface MlexpLanguageClient extends vscode.Disposable {
  readonly client: LanguageClient;
  /** The latest index the server sent, if any yet. */
  readonly components: ComponentsChangedParams | undefined;
  /** Asks the server for its index now (e.g. when a view opens after the first notification). */
  requestComponents(): Promise<ComponentsChangedParams>;
  /** Tells the server a training finished, so lenses and hovers show the new run at once. */
  notifyRunsChanged(workspace?: string): void;
}

/** The languages whose files can hold components, registrations and lookups. */
const DOCUMENT_SELECTOR = ["typescript", "typescriptreact", "javascript", "javascriptreact"].map((language) => ({ scheme: "file", language }));

export async function startLanguageClient(
  context: vscode.ExtensionContext,
  serverModule: string,
  onIndexChanged: (index: ComponentsChangedParams) => void,
  options: LanguageServerOptions = {},
  /** Extra environment for the server process (PGPASSWORD from SecretStorage); not sent over LSP. */
  secretEnv: Record<string, string> = {},
): Promise<MlexpLanguageClient> {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { env: serverEnv(options.store, secretEnv) } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { env: serverEnv(options.store, secretEnv), execArgv: ["--nolazy", "--inspect=6011"] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    // The server registers its own file watchers (sources, .gitignore, .mlexp/mlexp.db).
    initializationOptions: options,
  };
  const client = new LanguageClient("mlexp", "mlexp Language Server", serverOptions, clientOptions);
  let latest: ComponentsChangedParams | undefined;
  client.onNotification(ComponentsChangedNotification, (params) => {
    latest = params;
    onIndexChanged(params);
  });
  await client.start();
  const handle: MlexpLanguageClient = {
    client,
    get components() {
      return latest;
    },
    requestComponents: () => client.sendRequest(GetComponentsRequest),
    notifyRunsChanged: (workspace) => {
      const params: RunsChangedParams = workspace ? { workspace } : {};
      // While the server restarts the notification cannot be sent; it re-reads the stores when it is back.
      client.sendNotification(RunsChangedNotification, params).catch(() => undefined);
    },
    dispose: () => void client.stop(),
  };
  context.subscriptions.push(handle);
  return handle;
}

/** The server reads runs from the store the `mlexp.store` setting names (MLEXP_STORE). */
function serverEnv(store: string | undefined, secretEnv: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env, ...secretEnv };
  if (store) env.MLEXP_STORE = store;
  else delete env.MLEXP_STORE;
  return env;
}
