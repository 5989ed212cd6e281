import * as path from "node:path";
import { IgnoreRules } from "../workspace/ignoreRules";
import { isInside } from "../workspace/projects";
import { isIndexable, listSourceFiles, readSource } from "../workspace/sourceFiles";
import { LinkedIndex } from "./linkedIndex";
import { SourceTable } from "./sourceTable";

/**
 * The index's mutable side: which files of which workspace folders are indexed and their current
 * text (the editor's for open documents, the disk's otherwise). Every change marks the link stale;
 * `linked()` re-links on demand, so a burst of changes costs one link.
 */
export class WorkspaceIndex {
  readonly table = new SourceTable();
  private readonly folders = new Map<string, IgnoreRules>();
  private readonly open = new Set<string>();
  private current?: LinkedIndex;

  get folderPaths(): string[] {
    return [...this.folders.keys()];
  }

  addFolder(root: string): void {
    const rules = new IgnoreRules(path.resolve(root));
    this.folders.set(rules.root, rules);
    this.syncFolder(rules);
  }

  removeFolder(root: string): void {
    const resolved = path.resolve(root);
    this.folders.delete(resolved);
    for (const file of this.table.paths()) if (isInside(file, resolved) && !this.rulesOf(file)) this.remove(file);
  }

  /** Makes the table match the disk for a folder: after start-up or a `.gitignore` change. */
  private syncFolder(rules: IgnoreRules): void {
    const listed = new Set(listSourceFiles(rules));
    for (const file of this.table.paths()) {
      if (isInside(file, rules.root) && !listed.has(file) && !this.open.has(file)) this.remove(file);
    }
    for (const file of listed) if (!this.table.has(file)) this.loadFromDisk(file);
  }

  gitignoreChanged(file: string): void {
    const rules = this.rulesOf(file);
    if (!rules) return;
    rules.invalidate();
    this.syncFolder(rules);
  }

  /** A folder appeared (moved in, checked out): watchers may report only the folder, not its files. */
  directoryCreated(dir: string): void {
    const rules = this.rulesOf(dir);
    if (rules) this.syncFolder(rules);
  }

  /** The editor's text of an open document; false when the file is not one the index covers. */
  setOpenText(file: string, text: string): boolean {
    if (!this.covers(file)) return false;
    this.open.add(file);
    if (this.table.set(file, text)) this.current = undefined;
    return true;
  }

  /** A document was closed: the disk's text is the truth again. */
  closeDocument(file: string): void {
    if (!this.open.delete(file)) return;
    if (!this.loadFromDisk(file)) this.remove(file);
  }

  /** A watched file was created or changed on disk; open documents keep the editor's text. */
  fileChanged(file: string): void {
    if (this.open.has(file)) return;
    if (!this.covers(file) || !this.loadFromDisk(file)) this.remove(file);
  }

  /** A file or a whole folder was deleted. */
  fileDeleted(deleted: string): void {
    for (const file of this.table.paths()) {
      if ((file === deleted || isInside(file, deleted)) && !this.open.has(file)) this.remove(file);
    }
  }

  linked(): LinkedIndex {
    this.current ??= new LinkedIndex(this.table, this.folderPaths);
    return this.current;
  }

  get isStale(): boolean {
    return !this.current;
  }

  isOpen(file: string): boolean {
    return this.open.has(file);
  }

  private covers(file: string): boolean {
    const rules = this.rulesOf(file);
    return rules !== undefined && isIndexable(file, rules);
  }

  private rulesOf(file: string): IgnoreRules | undefined {
    let best: IgnoreRules | undefined;
    for (const rules of this.folders.values()) {
      if (isInside(file, rules.root) && (!best || rules.root.length > best.root.length)) best = rules;
    }
    return best;
  }

  private loadFromDisk(file: string): boolean {
    const text = readSource(file);
    if (text === undefined) return false;
    if (this.table.set(file, text)) this.current = undefined;
    return true;
  }

  private remove(file: string): void {
    if (this.table.delete(file)) this.current = undefined;
  }
}
