import * as fs from "node:fs";
import * as path from "node:path";
import { applyEdits, modify, parse, type ParseError } from "jsonc-parser";
import { STORE_DIR } from "../store/store";

/**
 * Types in every mlexp workspace. A workspace imports "mlexp" without installing it (mlexp bundles
 * its config with itself), so the editor would find no declarations: mlexp keeps a copy of its own
 * (and of Node's) in `.mlexp/types/`, and the workspace's tsconfig.json maps "mlexp" to it.
 *
 * The copy is refreshed whenever the running mlexp's declarations differ (a `stamp` file holds
 * their hash); a tsconfig.json is written when the workspace has none, and an existing one only
 * gains `paths.mlexp` when nothing resolves "mlexp" yet: every setting already there stays.
 */
export const TYPES_DIR = path.posix.join(STORE_DIR, "types");
/** Where "mlexp" resolves to, relative to the workspace. */
export const MLEXP_TYPES_ENTRY = `./${TYPES_DIR}/node_modules/mlexp/index.d.ts`;

export interface WorkspaceTypesResult {
  /** The declarations were (re)written. */
  typesUpdated: boolean;
  /** What happened to tsconfig.json. */
  tsconfig: "written" | "paths-added" | "left-alone";
}

/** The declarations this mlexp ships: dist/workspace-types next to the bundle, or in the repository when running from source. */
export function bundledTypesDir(): string | undefined {
  const candidates = [path.join(__dirname, "workspace-types"), path.resolve(__dirname, "../../../dist/workspace-types")];
  return candidates.find((dir) => fs.existsSync(path.join(dir, "stamp")));
}

export interface EnsureTypesOptions {
  /** Also write or complete tsconfig.json (init, the extension); otherwise only refresh the copy. */
  tsconfig?: boolean;
  /** The declarations to copy (default: this mlexp's). */
  source?: string;
}

/** Brings `.mlexp/types` up to date and (with `tsconfig`) makes tsconfig.json resolve "mlexp" to it. */
export function ensureWorkspaceTypes(workspace: string, options: EnsureTypesOptions = {}): WorkspaceTypesResult {
  const source = options.source ?? bundledTypesDir();
  if (!source) return { typesUpdated: false, tsconfig: "left-alone" };
  keepStoreOutOfGit(workspace);
  const typesUpdated = copyTypesIfStale(source, path.join(workspace, TYPES_DIR));
  return { typesUpdated, tsconfig: options.tsconfig ? ensureTsconfig(workspace) : "left-alone" };
}

/**
 * The same, for commands whose job is something else: a read-only or full disk must not fail a
 * training, so a problem comes back as a sentence to show rather than as an exception.
 */
export function refreshWorkspaceTypes(workspace: string, options: EnsureTypesOptions = {}): string | undefined {
  try {
    ensureWorkspaceTypes(workspace, options);
    return undefined;
  } catch (error) {
    return `Could not update mlexp's type declarations in ${path.join(workspace, TYPES_DIR)}: ${(error as Error).message}`;
  }
}

/** The copy lives in .mlexp, which git must never see (a run's snapshot would carry it). */
function keepStoreOutOfGit(workspace: string): void {
  const ignore = path.join(workspace, STORE_DIR, ".gitignore");
  fs.mkdirSync(path.dirname(ignore), { recursive: true });
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, "# Written by mlexp: runs, data and models stay out of git.\n*\n");
}

function copyTypesIfStale(source: string, target: string): boolean {
  const stamp = fs.readFileSync(path.join(source, "stamp"), "utf8");
  const current = path.join(target, "stamp");
  if (fs.existsSync(current) && fs.readFileSync(current, "utf8") === stamp) return false;
  // Copied beside and swapped in, so an editor (or a second mlexp) never reads a half-written tree.
  const staging = `${target}.tmp-${process.pid}-${Date.now()}`;
  fs.cpSync(source, staging, { recursive: true });
  const old = `${target}.old-${process.pid}-${Date.now()}`;
  if (fs.existsSync(target)) fs.renameSync(target, old);
  try {
    fs.renameSync(staging, target);
  } catch (error) {
    // Another process swapped its copy in at the same moment: it is the same content.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(target)) throw error;
  }
  fs.rmSync(old, { recursive: true, force: true });
  return true;
}

/** The tsconfig.json mlexp writes into a workspace that has none. */
export function defaultTsconfig(): string {
  const config = {
    compilerOptions: {
      target: "ES2022",
      module: "ESNext",
      moduleResolution: "Bundler",
      lib: ["ES2022"],
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      isolatedModules: true,
      esModuleInterop: true,
      typeRoots: [`./${TYPES_DIR}/node_modules/@types`, "./node_modules/@types"],
      types: ["node"],
      paths: { mlexp: [MLEXP_TYPES_ENTRY] },
    },
    exclude: ["node_modules", STORE_DIR],
  };
  const note =
    '// Written by mlexp: "mlexp" resolves to the declarations mlexp keeps current in .mlexp/types,\n' +
    "// with Node's types. Change anything you like: mlexp leaves this file alone while it maps \"mlexp\".\n";
  return `${note}${JSON.stringify(config, null, 2)}\n`;
}

function ensureTsconfig(workspace: string): WorkspaceTypesResult["tsconfig"] {
  const file = path.join(workspace, "tsconfig.json");
  if (!fs.existsSync(file)) {
    if (fs.existsSync(path.join(workspace, "jsconfig.json"))) return "left-alone";
    fs.writeFileSync(file, defaultTsconfig(), { flag: "wx" });
    return "written";
  }
  // A workspace that installed mlexp resolves it by itself.
  if (fs.existsSync(path.join(workspace, "node_modules", "mlexp", "package.json"))) return "left-alone";
  const text = fs.readFileSync(file, "utf8");
  const errors: ParseError[] = [];
  const config = parse(text, errors, { allowTrailingComma: true }) as { compilerOptions?: { paths?: Record<string, unknown>; baseUrl?: string } } | undefined;
  // Not ours to repair: a tsconfig.json that does not parse, or that maps "mlexp" itself.
  if (errors.length || typeof config !== "object" || config === null) return "left-alone";
  if (config.compilerOptions?.paths && "mlexp" in config.compilerOptions.paths) return "left-alone";
  // `paths` are relative to baseUrl when there is one, else to the tsconfig.json.
  const base = path.resolve(workspace, config.compilerOptions?.baseUrl ?? ".");
  const entry = path.relative(base, path.join(workspace, MLEXP_TYPES_ENTRY)).split(path.sep).join("/");
  const edits = modify(text, ["compilerOptions", "paths", "mlexp"], [entry.startsWith("../") ? entry : `./${entry}`], {
    formattingOptions: { insertSpaces: true, tabSize: 2 },
  });
  fs.writeFileSync(file, applyEdits(text, edits));
  return "paths-added";
}
