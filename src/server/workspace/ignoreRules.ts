import * as fs from "node:fs";
import * as path from "node:path";
import { matchRules, parseGitignore, type IgnoreRule } from "./gitignore";

/**
 * Every `.gitignore` of one workspace folder (and its `.git/info/exclude`), read lazily per folder
 * and cached until a `.gitignore` changes. Rules of deeper folders come later and win, as in git.
 */
export class IgnoreRules {
  private readonly byDir = new Map<string, IgnoreRule>();

  constructor(readonly root: string) {}

  /** Forgets every rule read so far: a `.gitignore` was created, changed or deleted. */
  invalidate(): void {
    this.byDir.clear();
  }

  /** Whether an entry is ignored, given that its folder is not (what a walk from the root knows). */
  isIgnoredEntry(absolutePath: string, isDir: boolean): boolean {
    let ignored = false;
    for (const dir of foldersFromRoot(this.root, path.dirname(absolutePath))) {
      const relative = path.relative(dir, absolutePath).split(path.sep).join("/");
      ignored = matchRules(this.rulesOf(dir), relative, isDir) ?? ignored;
    }
    return ignored;
  }

  /** Whether a path is ignored, itself or through one of its folders (git does not look inside an ignored folder). */
  isIgnored(absolutePath: string, isDir: boolean): boolean {
    const folders = foldersFromRoot(this.root, path.dirname(absolutePath));
    for (const folder of folders.slice(1)) if (this.isIgnoredEntry(folder, true)) return true;
    return this.isIgnoredEntry(absolutePath, isDir);
  }

  private rulesOf(dir: string): IgnoreRule {
    let rules = this.byDir.get(dir);
    if (!rules) {
      // The root's .git/info/exclude comes first, so that its .gitignore can override it.
      const exclude = dir === this.root ? `${readText(path.join(dir, ".git", "info", "exclude"))}\n` : "";
      rules = parseGitignore(exclude + readText(path.join(dir, ".gitignore")));
      this.byDir.set(dir, rules);
    }
    return rules;
  }
}

/** `root`, then each folder down to `dir` (which must be inside `root`). */
function foldersFromRoot(root: string, dir: string): string[] {
  const relative = path.relative(root, dir);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return [];
  const folders = [root];
  let current = root;
  for (const part of relative ? relative.split(path.sep) : []) {
    current = path.join(current, part);
    folders.push(current);
  }
  return folders;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
