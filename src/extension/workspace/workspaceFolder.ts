/**
 * The config file names the library looks for (src/core/workspace/loadWorkspace.ts). Repeated
 * here because importing that module would bundle the built-in components, TensorFlow.js
 * included, into the extension host; a unit test keeps the two lists equal.
 */
export const CONFIG_NAMES: readonly string[] = ["mlexp.config.ts", "mlexp.config.mts", "mlexp.config.js", "mlexp.config.cjs", "mlexp.config.mjs"];

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
