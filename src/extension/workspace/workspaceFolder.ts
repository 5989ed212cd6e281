import * as path from "node:path";


/**
 * The folder whose runs and components the extension shows: the first workspace folder with an
 * mlexp.config.*, else the first folder (where "Create Example Setup" would write). One mlexp
 * workspace per window keeps the views simple; multi-root windows use the first mlexp folder.
 */
export function chooseMlexpFolder(folders: readonly string[], hasConfig: (folder: string) => boolean): string | undefined {
  return folders.find(hasConfig) ?? folders[0];
}

/**
 * Whether a changed file can change the registered components: the config itself or a source file
 * of the workspace — not dependencies, the store, build output or git internals.
 */
export function affectsComponents(relativePath: string): boolean {
  const normalised = relativePath.replace(/\\/g, "/");
  if (/(^|\/)(node_modules|\.mlexp|\.git|dist|out)(\/|$)/.test(normalised)) return false;
  return /\.(ts|mts|cts|tsx|js|mjs|cjs|json)$/.test(normalised);
}

/** VS Code and Node may spell the same folder differently (a trailing separator, a Windows drive letter's case). */
export function samePath(a: string, b: string): boolean {
  const norm = (p: string) => (process.platform === "win32" ? path.resolve(p).toLowerCase() : path.resolve(p));
  return norm(a) === norm(b);
}

/**
 * Why a command given `{ workspace }` (the language server's lenses name the mlexp workspace of
 * their class) cannot act on it: this window trains and lists the runs of one folder, so a class
 * of another mlexp workspace (a second config deeper in the tree) would train with the wrong
 * components and compare the wrong runs. Undefined when the argument names no or this folder.
 */
export function otherWorkspaceProblem(arg: unknown, folder: string, action: string): string | undefined {
  const given = typeof arg === "object" && arg !== null ? (arg as { workspace?: unknown }).workspace : undefined;
  if (typeof given !== "string" || !given || samePath(given, folder)) return undefined;
  return `${given} is another mlexp workspace than the one this window works in (${folder}): open it as a folder to ${action}.`;
}
