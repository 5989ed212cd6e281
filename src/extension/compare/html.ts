import { randomBytes } from "node:crypto";

/** Where the page's files are, as the webview may load them (`asWebviewUri` in the panel, a test server in tests). */
export interface ComparePageResources {
  /** The webview's own origin(s) for CSP source lists (`webview.cspSource`). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
  nonce: string;
}

/** A fresh nonce for each page: the only scripts that run are the ones carrying it. */
export function createNonce(): string {
  return randomBytes(18).toString("base64");
}

/**
 * The panel's Content-Security-Policy: nothing by default; scripts only with the page's nonce;
 * styles, fonts and images only from the extension's own files. No inline script or style, no
 * eval, no network. (Lit's and Chart.js's styling goes through the CSSOM, which CSP permits.)
 */
export function comparePanelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join("; ");
}

/** The panel's HTML: an empty shell that the script fills in, so everything it shows is data, never markup. */
export function comparePanelHtml(resources: ComparePageResources): string {
  const { cspSource, scriptUri, styleUri, codiconsUri, nonce } = resources;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(comparePanelCsp(cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(styleUri)}">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeAttribute(codiconsUri)}" nonce="${escapeAttribute(nonce)}">
<title>Compare Runs</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="loading">Loading runs…</p></main>
<script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(scriptUri)}"></script>
</body>
</html>
`;
}

function escapeAttribute(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
