import { describe, expect, it } from "vitest";
import { comparePanelCsp, comparePanelHtml, createNonce } from "../../../../src/extension/compare/html";

const resources = {
  cspSource: "https://file+.vscode-resource.vscode-cdn.net",
  nonce: "abc123+/=",
  scriptUri: "https://x.vscode-cdn.net/ext/dist/webview/compare.js",
  styleUri: "https://x.vscode-cdn.net/ext/dist/webview/compare.css",
  codiconsUri: "https://x.vscode-cdn.net/ext/dist/webview/codicon.css",
};

describe("comparePanelCsp", () => {
  const csp = comparePanelCsp(resources.cspSource, resources.nonce);

  it("denies everything by default and allows scripts only by nonce", () => {
    expect(csp).toMatch(/^default-src 'none';/);
    expect(csp).toContain(`script-src 'nonce-${resources.nonce}'`);
  });

  it("allows styles, fonts and images only from the extension's files", () => {
    expect(csp).toContain(`style-src ${resources.cspSource}`);
    expect(csp).toContain(`font-src ${resources.cspSource}`);
    expect(csp).toContain(`img-src ${resources.cspSource} data:`);
  });

  it("never allows inline code, eval or the network", () => {
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:\/\/\*|\*;|connect-src/);
  });
});

describe("comparePanelHtml", () => {
  const html = comparePanelHtml(resources);

  it("carries the CSP in a meta tag", () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${comparePanelCsp(resources.cspSource, resources.nonce)}">`);
  });

  it("loads one script, with the nonce, from the given URI, and has no inline script or style", () => {
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    expect(scripts).toEqual([`<script nonce="${resources.nonce}" src="${resources.scriptUri}">`]);
    expect(html).toMatch(/<script[^>]*><\/script>/);
    expect(html).not.toMatch(/<style|style="/);
    expect(html).not.toMatch(/\son\w+=/);
  });

  it("links the stylesheet and the codicons (by the id @vscode-elements looks for)", () => {
    expect(html).toContain(`<link rel="stylesheet" href="${resources.styleUri}">`);
    expect(html).toContain(`id="vscode-codicon-stylesheet" href="${resources.codiconsUri}"`);
  });

  it("escapes attribute values", () => {
    expect(comparePanelHtml({ ...resources, scriptUri: 'x"><script>alert(1)</script>' })).not.toContain("<script>alert");
  });
});

describe("createNonce", () => {
  it("is random and long enough", () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(nonce.length).toBeGreaterThanOrEqual(24);
  });
});
