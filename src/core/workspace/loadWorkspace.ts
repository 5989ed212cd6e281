import * as fs from "node:fs";
import { Module } from "node:module";
import * as path from "node:path";
import type { BuildFailure, Message } from "esbuild";
import type { Registry } from "../components/registry";
import { builtinRegistry, withActiveRegistry } from "../registration";
import { CONFIG_FILE_NAMES } from "../../shared/configFiles";
import { MlexpError, messageOf } from "../util/errors";

export interface LoadedWorkspace {
  root: string;
  /** The config file that was loaded, if the workspace has one. */
  configPath?: string;
  /** Built-ins plus the workspace's own components. */
  registry: Registry;
}

export interface LoadOptions {
  /** Where `import "some-package"` resolves from (default: `root`). Reproductions load code from a
   * snapshot folder but use the workspace's current node_modules. */
  modulesRoot?: string;
}

export function findConfig(root: string): string | undefined {
  return CONFIG_FILE_NAMES.map((name) => path.join(root, name)).find((file) => fs.existsSync(file));
}

/**
 * Loads a workspace's components: bundles `mlexp.config.ts` (and everything it imports from the
 * workspace) with esbuild and evaluates it with a fresh registry active. `import … from "mlexp"`
 * resolves to this very mlexp, so there is exactly one copy of the base classes and the registry,
 * even when the workspace has not installed mlexp.
 */
export async function loadWorkspace(root: string, options: LoadOptions = {}): Promise<LoadedWorkspace> {
  const absoluteRoot = path.resolve(root);
  const registry = builtinRegistry().clone();
  const configPath = findConfig(absoluteRoot);
  if (!configPath) return { root: absoluteRoot, registry };
  await withActiveRegistry(registry, () => runUserModule(configPath, options.modulesRoot ?? absoluteRoot));
  return { root: absoluteRoot, configPath, registry };
}

/**
 * Bundles a TypeScript or JavaScript file of the user's with what it imports from the workspace,
 * and runs it, awaiting its default export when that is a function.
 */
export async function runUserModule(file: string, modulesRoot: string): Promise<void> {
  const code = await bundleUserModule(file);
  await evaluateBundle(code, file, modulesRoot);
}

async function bundleUserModule(file: string): Promise<string> {
  const esbuild = await import("esbuild");
  try {
    const result = await esbuild.build({
      entryPoints: [file],
      bundle: true,
      write: false,
      platform: "node",
      format: "cjs",
      target: "node20",
      packages: "external",
      // Before tsconfig `paths` get a say: "mlexp" must stay the running mlexp, never a bundled copy.
      plugins: [{ name: "mlexp-is-external", setup: (build) => build.onResolve({ filter: /^mlexp$/ }, () => ({ path: "mlexp", external: true })) }],
      sourcemap: "inline",
      logLevel: "silent",
      absWorkingDir: path.dirname(file),
    });
    return result.outputFiles[0].text;
  } catch (error) {
    throw configError(file, firstBuildMessage(error));
  }
}

function firstBuildMessage(error: unknown): string {
  const errors: Message[] = (error as Partial<BuildFailure>).errors ?? [];
  const first = errors[0];
  if (!first) return messageOf(error);
  const where = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : "";
  return `${where}${first.text}`;
}

interface CompilableModule {
  filename: string;
  paths: string[];
  exports: unknown;
  require(id: string): unknown;
  _compile(code: string, filename: string): void;
}

async function evaluateBundle(code: string, file: string, modulesRoot: string): Promise<void> {
  process.setSourceMapsEnabled(true);
  const filename = `${file}.bundle.cjs`;
  const mod = new Module(filename) as unknown as CompilableModule;
  mod.filename = filename;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(modulesRoot);
  // Imported here, not at the top: the public API module imports this file.
  const mlexpApi: unknown = await import("../index");
  const requireFromWorkspace = mod.require.bind(mod);
  mod.require = (id: string) => (id === "mlexp" ? mlexpApi : requireFromWorkspace(id));
  try {
    mod._compile(code, filename);
    const exported = mod.exports as { default?: unknown };
    if (typeof exported.default === "function") await (exported.default as () => unknown)();
  } catch (error) {
    throw configError(file, `${messageOf(error)}${userFrame(error, path.dirname(file))}`);
  }
}

/** " (at src/model.ts:12:5)" for the first stack frame inside the workspace. */
function userFrame(error: unknown, root: string): string {
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  const frame = stack.split("\n").find((line) => line.includes(root) && !line.includes(".bundle.cjs"));
  const match = frame?.match(/\(?([^()\s]+:\d+:\d+)\)?\s*$/);
  return match ? ` (at ${path.relative(root, match[1])})` : "";
}

function configError(file: string, detail: string): MlexpError {
  return new MlexpError(
    `Could not load ${path.basename(file)}: ${detail}`,
    "invalid_config",
    "Fix the error in the workspace's code and try again.",
  );
}
