import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { CONTEXT_KEYS } from "../constants";
import { RunRepository } from "../runs/runRepository";
import { storeSetting } from "../training/workerSettings";
import { Debouncer } from "../util/debounce";
import { CONFIG_FILE_NAMES } from "../../shared/configFiles";
import { affectsComponents, chooseMlexpFolder } from "./workspaceFolder";

/**
 * The workspace folder mlexp works in, whether it has an mlexp.config.*, and its run store.
 * Fires `onDidChangeComponents` when the config or a source file changes (debounced: a save, a
 * branch switch or a formatter touch many files at once) and `onDidChangeFolder` when the folder
 * itself changes (folders added or removed, a config created).
 */
export class MlexpWorkspace implements vscode.Disposable {
  private current: { folder: string; repository: RunRepository } | undefined;
  private readonly componentsChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeComponents = this.componentsChanged.event;
  private readonly folderChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeFolder = this.folderChanged.event;
  private readonly debouncer = new Debouncer(() => this.componentsChanged.fire(), 800);
  private readonly disposables: vscode.Disposable[] = [];

  /** @param password the team store's password from SecretStorage, if any. */
  constructor(private readonly password: () => string | undefined = () => undefined) {
    this.disposables.push(this.componentsChanged, this.folderChanged, this.debouncer);
    this.disposables.push(vscode.workspace.onDidChangeWorkspaceFolders(() => this.update()));
    const watcher = vscode.workspace.createFileSystemWatcher("**/*.{ts,mts,cts,tsx,js,mjs,cjs,json}");
    const onFile = (uri: vscode.Uri) => this.onFileChanged(uri);
    this.disposables.push(watcher, watcher.onDidChange(onFile), watcher.onDidCreate(onFile), watcher.onDidDelete(onFile));
    this.update();
  }

  get folder(): string | undefined {
    return this.current?.folder;
  }

  get folderUri(): vscode.Uri | undefined {
    return this.current ? vscode.Uri.file(this.current.folder) : undefined;
  }

  get repository(): RunRepository | undefined {
    return this.current?.repository;
  }

  get hasConfig(): boolean {
    return this.current !== undefined && hasConfig(this.current.folder);
  }

  /** Re-chooses the folder and updates the context keys the welcome views depend on. */
  update(): void {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === "file").map((f) => f.uri.fsPath);
    const folder = chooseMlexpFolder(folders, hasConfig);
    const hadConfig = this.hasConfig;
    if (folder !== this.current?.folder) {
      this.current?.repository.close();
      this.current = folder ? { folder, repository: new RunRepository(folder, storeSetting(), this.password()) } : undefined;
      this.folderChanged.fire();
    } else if (hadConfig !== this.hasConfig) {
      this.componentsChanged.fire();
    }
    void vscode.commands.executeCommand("setContext", CONTEXT_KEYS.hasConfig, this.hasConfig);
    void vscode.commands.executeCommand("setContext", CONTEXT_KEYS.ready, true);
  }

  /** Reopens the run store (the `mlexp.store` setting changed). */
  reopenStore(): void {
    if (!this.current) return;
    this.current.repository.close();
    this.current = { folder: this.current.folder, repository: new RunRepository(this.current.folder, storeSetting(), this.password()) };
    this.folderChanged.fire();
  }

  dispose(): void {
    this.current?.repository.close();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private onFileChanged(uri: vscode.Uri): void {
    const folder = this.current?.folder;
    if (!folder) return;
    const relative = path.relative(folder, uri.fsPath);
    if (relative.startsWith("..") || path.isAbsolute(relative) || !affectsComponents(relative)) return;
    if (CONFIG_FILE_NAMES.includes(relative)) this.update();
    this.debouncer.trigger();
  }
}

function hasConfig(folder: string): boolean {
  return CONFIG_FILE_NAMES.some((name) => fs.existsSync(path.join(folder, name)));
}
