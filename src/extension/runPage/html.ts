import { comparePanelCsp } from "../compare/html";

/** The run page's files, as the webview may load them. */
export interface RunPageResources {
  cspSource: string;
  scriptUri: string;
  /** The comparison panel's stylesheet (the run page shares its look), then the page's own. */
  styleUris: string[];
  codiconsUri: string;
  nonce: string;
}

/**
 * The run page's HTML: an empty shell the script fills from data, under the comparison panel's CSP
 * (scripts only with the nonce, styles and fonts only from the extension's files, no network).
 */
export function runPageHtml(resources: RunPageResources): string {
  const { cspSource, scriptUri, styleUris, codiconsUri, nonce } = resources;
  const styles = styleUris.map((uri) => `<link rel="stylesheet" href="${escapeAttribute(uri)}">`).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(comparePanelCsp(cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeAttribute(codiconsUri)}" nonce="${escapeAttribute(nonce)}">
<title>Run</title>
</head>
<body>
<main id="app" class="run-page" aria-busy="true"><p class="loading">Loading the run…</p></main>
<script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(scriptUri)}"></script>
</body>
</html>
`;
}

function escapeAttribute(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
