import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCodeServer, type CodeServer } from "./harness/codeServer";
import { processTree } from "./harness/processTree";
import {
  clickNotificationButton,
  quickInputType,
  quickPickSelect,
  e2eArtifactsDir,
  openViewContainer,
  openWorkbench,
  runCommand,
  screenshot,
  treeItems,
  waitForNotification,
  waitForTreeItem,
  webviewFrame,
  type Workbench,
} from "./harness/workbench";

// Smoke test of the harness itself, with a throwaway extension instead of mlexp: if this passes,
// failures in mlexp's own e2e tests are about mlexp, not about the harness.

const EXTENSION = { publisher: "mlexp-e2e", name: "hello-e2e", version: "0.0.1" };

/**
 * Every string the extension shows carries this run's nonce, so nothing but this extension,
 * running in this extension host, can make the assertions pass.
 */
const nonce = randomBytes(4).toString("hex");

function writeHelloExtension(dir: string): string {
  mkdirSync(join(dir, "media"), { recursive: true });
  const manifest = {
    ...EXTENSION,
    engines: { vscode: "^1.80.0" },
    main: "./extension.js",
    contributes: {
      commands: [
        { command: "helloE2e.hello", title: "Hello E2E" },
        { command: "helloE2e.webview", title: "Hello E2E Webview" },
        { command: "helloE2e.ask", title: "Hello E2E Ask" },
      ],
      viewsContainers: { activitybar: [{ id: "helloE2e", title: "Hello E2E Views", icon: "media/icon.svg" }] },
      views: { helloE2e: [{ id: "helloE2e.items", name: "Hello Items" }] },
    },
  };
  writeFileSync(join(dir, "package.json"), JSON.stringify(manifest, null, 2));
  writeFileSync(
    join(dir, "media", "icon.svg"),
    '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"><circle cx="12" cy="12" r="8" fill="none" stroke="currentColor" stroke-width="2"/></svg>',
  );
  writeFileSync(join(dir, "extension.js"), helloExtensionSource());
  return dir;
}

function helloExtensionSource(): string {
  return `const vscode = require("vscode");
const NONCE = ${JSON.stringify(nonce)};
exports.activate = (context) => {
  const folder = vscode.workspace.workspaceFolders?.[0]?.name ?? "no-folder";
  context.subscriptions.push(
    vscode.commands.registerCommand("helloE2e.hello", async () => {
      const choice = await vscode.window.showInformationMessage("Hello E2E " + NONCE + " from " + folder, "Thanks");
      if (choice === "Thanks") vscode.window.showInformationMessage("Thanked " + NONCE);
    }),
    vscode.commands.registerCommand("helloE2e.ask", async () => {
      const colour = await vscode.window.showQuickPick(["red", "green", "blue"], { placeHolder: "Pick a colour" });
      const name = await vscode.window.showInputBox({ prompt: "Your name" });
      vscode.window.showInformationMessage("Answer " + colour + " " + name + " " + NONCE);
    }),
    vscode.commands.registerCommand("helloE2e.webview", () => {
      const panel = vscode.window.createWebviewPanel("helloE2e", "Hello Webview", vscode.ViewColumn.One, { enableScripts: true });
      panel.webview.html = '<!DOCTYPE html><html><body><h1 id="greeting">Webview ' + NONCE + '</h1></body></html>';
    }),
    vscode.window.registerTreeDataProvider("helloE2e.items", {
      getTreeItem: (item) => item,
      getChildren: () => [["Alpha", "first " + NONCE], ["Beta", "second " + NONCE]].map(([label, description]) => {
        const item = new vscode.TreeItem(label);
        item.description = description;
        return item;
      }),
    }),
  );
};
`;
}

describe("e2e harness: a hello-world extension in code-server", () => {
  let tmp: string;
  let artifacts: string;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "mlexp-e2e-smoke-"));
    artifacts = e2eArtifactsDir();
    const workspace = join(tmp, "hello-workspace");
    mkdirSync(workspace);
    writeFileSync(join(workspace, "README.md"), "# hello\n");
    server = await startCodeServer({
      workspace,
      vsixOrExtensionDir: writeHelloExtension(join(tmp, "extension")),
      settings: { "workbench.colorTheme": "Default Dark Modern" },
    });
    workbench = await openWorkbench(server.url);
  });

  afterAll(async () => {
    // Logs go next to the screenshots before stop() removes the user-data folder.
    if (server) {
      writeFileSync(join(artifacts, "code-server.log"), server.logs());
      writeFileSync(join(artifacts, "exthost.log"), server.extensionHostLogs());
    }
    await workbench?.close();
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  function page(): Workbench["page"] {
    if (!workbench) throw new Error("workbench did not open");
    return workbench.page;
  }

  it("applies the settings it was given (dark theme)", async () => {
    // The theme's file is fetched after extensions load, so the switch from the default light
    // theme lands a moment after the workbench is ready; nothing but the class itself signals it.
    await expect
      .poll(() => page().locator(".monaco-workbench").getAttribute("class"), { timeout: 30_000 })
      .toContain("vs-dark");
    await screenshot(page(), artifacts, "01-workbench");
  });

  it("runs the extension's command from the palette and shows its notification", async () => {
    await runCommand(page(), "Hello E2E");
    const toast = await waitForNotification(page(), `Hello E2E ${nonce} from hello-workspace`);
    expect(await toast.locator(".notification-list-item-message").innerText()).toBe(`Hello E2E ${nonce} from hello-workspace`);
    await screenshot(page(), artifacts, "02-notification");

    await clickNotificationButton(page(), "Thanks", { notification: `Hello E2E ${nonce}` });
    await waitForNotification(page(), `Thanked ${nonce}`);
  });

  it("answers the extension's quick pick and input box", async () => {
    await runCommand(page(), "Hello E2E Ask");
    await quickPickSelect(page(), "green");
    await quickInputType(page(), "Ada");
    await waitForNotification(page(), `Answer green Ada ${nonce}`);
  });

  it("opens the extension's view container and lists its tree items", async () => {
    await openViewContainer(page(), "Hello E2E Views");
    await waitForTreeItem(page(), "Hello Items", "Beta");
    expect(await treeItems(page(), "Hello Items")).toEqual([
      { label: "Alpha", description: `first ${nonce}` },
      { label: "Beta", description: `second ${nonce}` },
    ]);
    await screenshot(page(), artifacts, "03-tree-view");
  });

  it("reaches into a webview's document", async () => {
    await runCommand(page(), "Hello E2E Webview");
    await expect.poll(() => webviewFrame(page()).locator("#greeting").textContent(), { timeout: 30_000 }).toBe(`Webview ${nonce}`);
    await screenshot(page(), artifacts, "04-webview");
  });

  it("stop() leaves no code-server process behind", async () => {
    const running = server;
    if (!running) throw new Error("code-server did not start");
    expect(processTree(running.pid).length).toBeGreaterThan(1); // wrapper, server, extension host, ...
    await workbench?.close();
    workbench = undefined;
    writeFileSync(join(artifacts, "code-server.log"), running.logs());
    writeFileSync(join(artifacts, "exthost.log"), running.extensionHostLogs());
    server = undefined;
    await running.stop();
    expect(processTree(running.pid)).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${running.port}/healthz`)).rejects.toThrow();
  });
});
