import * as fs from "node:fs";
import * as path from "node:path";
import type { IgnoreRules } from "./ignoreRules";

/** Folders that never hold the user's components: dependencies, mlexp's store, build output. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(["node_modules", ".git", ".mlexp", "dist"]);

const SOURCE_EXTENSIONS: ReadonlySet<string> = new Set([".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"]);

/** Generated bundles and data dumps can be large; no hand-written component file is. */
export const MAX_FILE_BYTES = 1024 * 1024;

export function isSourceFile(file: string): boolean {
  if (/\.d\.[cm]?ts$/.test(file)) return false;
  return SOURCE_EXTENSIONS.has(path.extname(file).toLowerCase());
}

/** Whether a file belongs in the index of the workspace folder `rules.root`. */
export function isIndexable(file: string, rules: IgnoreRules): boolean {
  const relative = path.relative(rules.root, file);
  if (!relative || relative.startsWith("..") || path.isAbsolute(relative)) return false;
  if (!isSourceFile(file)) return false;
  if (relative.split(path.sep).slice(0, -1).some((part) => SKIPPED_DIRS.has(part))) return false;
  return !rules.isIgnored(file, false);
}

/** Every indexable source file under the workspace folder, without entering ignored folders. */
export function listSourceFiles(rules: IgnoreRules): string[] {
  const files: string[] = [];
  const pending = [rules.root];
  while (pending.length) {
    const dir = pending.pop() as string;
    for (const entry of readDir(dir)) {
      const full = path.join(dir, entry.name);
      // Symbolic links are skipped: they can loop, and they point at code indexed elsewhere.
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !rules.isIgnoredEntry(full, true)) pending.push(full);
      } else if (entry.isFile() && isSourceFile(entry.name) && !rules.isIgnoredEntry(full, false)) {
        files.push(full);
      }
    }
  }
  return files.sort();
}

function readDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** A file's text, or undefined when it is gone, unreadable or too large to be source. */
export function readSource(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
