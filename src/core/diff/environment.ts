import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { version as MLEXP_VERSION } from "../../../package.json";
import type { ModelRun } from "../store/runRecord";
import { isPlainObject } from "../util/json";
import type { RunEnvironment } from "./types";

/** Lockfiles of the package managers a TypeScript workspace may use, in the order they are looked for. */
const LOCKFILES = ["package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock", "bun.lockb"];
const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "optionalDependencies"] as const;
/** How far up from the workspace a package.json or lockfile is looked for (a workspace inside a monorepo). */
const MAX_LEVELS_UP = 6;

/**
 * What a run's results can depend on besides its code, data and parameters, captured when it
 * starts: versions of mlexp, Node (and Electron, when VS Code's runtime runs the training), the
 * platform, and the workspace's packages — its lockfile's hash and the version of each direct
 * dependency as installed (what `import` really loads). Reads a few small files; never fails a run.
 */
export function captureEnvironment(workspace: string): RunEnvironment {
  const lockfile = findUp(workspace, LOCKFILES);
  const manifest = findUp(workspace, ["package.json"]);
  return {
    mlexp: MLEXP_VERSION,
    node: process.versions.node,
    electron: process.versions.electron ?? null,
    os: process.platform,
    arch: process.arch,
    tfjsBackend: null,
    lockfile: lockfile ? { path: relative(workspace, lockfile), sha256: fileHash(lockfile) } : null,
    dependencies: manifest ? installedVersions(workspace, declaredDependencies(manifest)) : {},
  };
}

/** A run's environment: the one it recorded, or what every run records anyway (older runs). */
export function environmentOf(run: ModelRun): { environment: RunEnvironment; recorded: boolean } {
  const recorded = run.details?.environment;
  if (isPlainObject(recorded) && typeof recorded.node === "string") {
    const environment = recorded as unknown as RunEnvironment;
    return { environment: { ...environment, tfjsBackend: environment.tfjsBackend ?? run.backend }, recorded: true };
  }
  const [os, arch] = typeof run.details?.platform === "string" ? run.details.platform.split("-") : [null, null];
  return {
    environment: {
      mlexp: run.mlexp_version,
      node: typeof run.details?.node === "string" ? run.details.node.replace(/^v/, "") : "",
      electron: null,
      os: os ?? "",
      arch: arch ?? "",
      tfjsBackend: run.backend,
      lockfile: null,
      dependencies: {},
    },
    recorded: false,
  };
}

function findUp(start: string, names: readonly string[]): string | undefined {
  let dir = path.resolve(start);
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    for (const name of names) {
      const file = path.join(dir, name);
      if (isFile(file)) return file;
    }
    // The repository's top is as far as the workspace's own files go.
    if (fs.existsSync(path.join(dir, ".git"))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

function declaredDependencies(manifestFile: string): string[] {
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as Record<string, unknown>;
    const names = DEPENDENCY_FIELDS.flatMap((field) => (isPlainObject(manifest[field]) ? Object.keys(manifest[field]) : []));
    return [...new Set(names)].sort();
  } catch {
    return [];
  }
}

/** Node's lookup: `node_modules/<name>/package.json` in the workspace's folder, then its parents. */
function installedVersions(workspace: string, names: string[]): Record<string, string | null> {
  const versions: Record<string, string | null> = {};
  for (const name of names) versions[name] = installedVersion(workspace, name);
  return versions;
}

function installedVersion(workspace: string, name: string): string | null {
  let dir = path.resolve(workspace);
  for (;;) {
    const file = path.join(dir, "node_modules", name, "package.json");
    if (isFile(file)) {
      try {
        const version = (JSON.parse(fs.readFileSync(file, "utf8")) as { version?: unknown }).version;
        return typeof version === "string" ? version : null;
      } catch {
        return null;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function fileHash(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function relative(workspace: string, file: string): string {
  return path.relative(path.resolve(workspace), file).split(path.sep).join("/");
}
