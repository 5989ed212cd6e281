import * as vscode from "vscode";
import { gitRaw } from "../../../core/git/git";
import { messageOf } from "../../../core/util/errors";
import type { SnapshotFile, WhatChangedHost } from "./controller";
import { parseSnapshotUri, READ_ONLY_SCHEME, SNAPSHOT_SCHEME, snapshotUriParts } from "./snapshotUris";

/**
 * The documents "What changed" opens: a file as a run's snapshot commit holds it (`git show
 * <commit>:<path>` in the workspace's repository; content providers' documents are read-only), and
 * texts mlexp wrote for reading (kept by URI while the window lives).
 */
export class WhatChangedDocuments implements vscode.TextDocumentContentProvider, WhatChangedHost, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly registrations: vscode.Disposable[];

  constructor(private readonly folder: () => string | undefined) {
    this.registrations = [
      vscode.workspace.registerTextDocumentContentProvider(SNAPSHOT_SCHEME, this),
      vscode.workspace.registerTextDocumentContentProvider(READ_ONLY_SCHEME, this),
    ];
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    if (uri.scheme === READ_ONLY_SCHEME) return this.texts.get(uri.toString()) ?? "";
    const file = parseSnapshotUri(uri.path, uri.query);
    if (file.absent) return "";
    const folder = this.folder();
    if (!folder) throw new Error("No workspace folder is open.");
    try {
      // `<commit>:<path>`: the path is relative to the repository's top, wherever the workspace is in it.
      return await gitRaw(folder, ["show", `${file.commit}:${file.path}`]);
    } catch (error) {
      throw new Error(`Could not read ${file.path} from the snapshot ${file.commit.slice(0, 12)}: ${messageOf(error)}`, { cause: error });
    }
  }

  async openFileDiff(left: SnapshotFile, right: SnapshotFile, title: string): Promise<void> {
    await vscode.commands.executeCommand("vscode.diff", snapshotUri(left), snapshotUri(right), title, { preview: true });
  }

  async openReadOnly(name: string, text: string, language: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: READ_ONLY_SCHEME, path: `/${name}` });
    this.texts.set(uri.toString(), text);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, language).then(undefined, () => undefined);
    await vscode.window.showTextDocument(document, { preview: true });
  }

  dispose(): void {
    for (const registration of this.registrations) registration.dispose();
    this.texts.clear();
  }
}

function snapshotUri(file: SnapshotFile): vscode.Uri {
  const { path, query } = snapshotUriParts(file);
  return vscode.Uri.from({ scheme: SNAPSHOT_SCHEME, path, query });
}
