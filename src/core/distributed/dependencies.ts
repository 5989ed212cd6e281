import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { MlexpError, messageOf } from "../util/errors";

const LOCKFILES = ["npm-shrinkwrap.json", "package-lock.json"];
const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "optionalDependencies"];
/** Written into node_modules once `npm ci` finished: a folder without it is a broken install. */
const MARKER = ".mlexp-installed";
const INSTALL_TIMEOUT_MS = 15 * 60_000;

/**
 * The npm packages a run's code imports, on a worker: the snapshot's package.json and lockfile are
 * installed with `npm ci --ignore-scripts` (exactly the locked versions, no install scripts), once
 * per lockfile hash. The first snapshot with a given lockfile gets its own node_modules; the later
 * ones link to it. A lockfile with `file:` folders (links) is installed per snapshot, since the
 * linked folders' content is not in the lockfile's hash.
 */
export class DependencyCache {
  private readonly pending = new Map<string, Promise<void>>();
  /** `npm ci` runs, for the worker's log and tests. */
  installs = 0;

  constructor(
    /** `<cache>/deps`: one link per lockfile hash to the node_modules installed for it. */
    readonly dir: string,
    private readonly log?: (line: string) => void,
  ) {}

  /** Gives `workspace` (a materialised snapshot, never a user's tree) the node_modules its lockfile declares; nothing when it declares no dependency. */
  install(workspace: string): Promise<void> {
    let installing = this.pending.get(workspace);
    if (!installing) {
      installing = this.installOnce(workspace);
      this.pending.set(workspace, installing);
      installing.catch(() => this.pending.delete(workspace));
    }
    return installing;
  }

  private async installOnce(workspace: string): Promise<void> {
    const manifest = readManifest(workspace);
    if (!manifest || !DEPENDENCY_FIELDS.some((field) => Object.keys(manifestField(manifest, field)).length > 0)) return;
    const modules = path.join(workspace, "node_modules");
    if (fs.existsSync(path.join(modules, MARKER))) return;
    const lockfile = LOCKFILES.map((name) => path.join(workspace, name)).find((file) => fs.existsSync(file));
    if (!lockfile) {
      throw new MlexpError(
        "The run's package.json declares dependencies, but its snapshot has no package-lock.json, so a worker cannot install the same versions.",
        "dependencies_failed",
        "Run `npm install` in the workspace and commit package-lock.json (or leave it uncommitted: the snapshot takes it), then train again.",
      );
    }
    const key = lockKey(workspace, lockfile);
    const shared = path.join(this.dir, key);
    if (fs.existsSync(path.join(shared, MARKER))) {
      linkTo(modules, fs.realpathSync(shared));
      return;
    }
    await this.npmCi(workspace, modules);
    fs.mkdirSync(this.dir, { recursive: true });
    linkTo(shared, modules);
  }

  private async npmCi(workspace: string, modules: string): Promise<void> {
    fs.rmSync(modules, { recursive: true, force: true });
    const started = Date.now();
    try {
      // Arguments, never a shell string: nothing of the run's files reaches a command line.
      await run("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], workspace);
    } catch (error) {
      fs.rmSync(modules, { recursive: true, force: true });
      throw new MlexpError(
        `Could not install the run's npm dependencies (npm ci in ${workspace}): ${lastLine(messageOf(error))}`,
        "dependencies_failed",
        "Check that package.json and package-lock.json agree (npm ci in the workspace shows the same error), and that this worker can reach the npm registry.",
      );
    }
    fs.writeFileSync(path.join(modules, MARKER), `${new Date().toISOString()}\n`);
    this.installs++;
    this.log?.(`installed the npm dependencies of ${workspace} in ${((Date.now() - started) / 1000).toFixed(1)} s (npm ci)`);
  }
}

type Manifest = Record<string, unknown>;

function readManifest(workspace: string): Manifest | undefined {
  const file = path.join(workspace, "package.json");
  if (!fs.existsSync(file)) return undefined;
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Manifest) : undefined;
  } catch (error) {
    throw new MlexpError(`The run's package.json is not valid JSON: ${messageOf(error)}`, "dependencies_failed");
  }
}

function manifestField(manifest: Manifest, field: string): Record<string, unknown> {
  const value = manifest[field];
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/** The lockfile's and package.json's hash; with linked `file:` folders, the snapshot's folder too. */
function lockKey(workspace: string, lockfile: string): string {
  const lock = fs.readFileSync(lockfile);
  const hash = createHash("sha256").update(fs.readFileSync(path.join(workspace, "package.json"))).update("\0").update(lock);
  if (/"link":\s*true/.test(lock.toString("utf8"))) hash.update("\0").update(workspace);
  return hash.digest("hex").slice(0, 32);
}

/** Points `link` at `target`, replacing whatever was there. */
function linkTo(link: string, target: string): void {
  const temporary = `${link}.${process.pid}.tmp`;
  fs.rmSync(temporary, { force: true });
  fs.symlinkSync(target, temporary, "junction");
  fs.rmSync(link, { recursive: true, force: true });
  fs.renameSync(temporary, link);
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: "false" } }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return reject(new Error("npm was not found on this worker's PATH (install Node.js with npm)"));
      reject(new Error(stderr.trim() || error.message));
    });
  });
}

/** npm's message without its bookkeeping lines (code, syscall, path, where the log is). */
function lastLine(text: string): string {
  const lines = text.split("\n").map((line) => line.replace(/^npm (error|ERR!)\s*/, "").trim()).filter(Boolean);
  const telling = lines.filter((line) => !/^(code|syscall|path|errno|A complete log|Log files were not written|You can rerun|This is related to)\b/i.test(line));
  return (telling[0] ?? lines[0] ?? text).slice(0, 400);
}
