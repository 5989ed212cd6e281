/**
 * The mlexp language server: started by the extension (src/extension/language/languageClient.ts)
 * as dist/server.js over IPC, or by tests over stdio. See handlers.ts for what it answers.
 */
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { startServer } from "./handlers";

startServer(createConnection(ProposedFeatures.all));
