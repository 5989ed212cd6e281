import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ModelRun } from "../../src/core/store/runRecord";
import type { PackLocation } from "../../src/core/objects/packSet";
import { CLI } from "../helpers/cli";
import { packEntries } from "../helpers/storedChunks";
import type { AttachedStore } from "./backends";

/** mulberry32: a small seeded generator, so that a failing campaign can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Started {
  child: ChildProcess;
  done: Promise<CliResult>;
}

/** A workspace (a git repository) with a store attached, and every CLI process started in it. */
export class Workspace {
  readonly pids: number[] = [];
  /** Runs whose training exited 0: each must stay present and reproducible. */
  readonly successful = new Set<string>();

  constructor(
    readonly dir: string,
    readonly store: AttachedStore,
  ) {}

  static create(parent: string, name: string): string {
    const dir = path.join(parent, name);
    fs.mkdirSync(dir, { recursive: true });
    const env = { ...process.env, GIT_AUTHOR_NAME: "f", GIT_AUTHOR_EMAIL: "f@localhost", GIT_COMMITTER_NAME: "f", GIT_COMMITTER_EMAIL: "f@localhost" };
    execFileSync("git", ["init", "-q", "-b", "main"], { cwd: dir, env });
    fs.writeFileSync(path.join(dir, "README.md"), "fault campaign\n");
    execFileSync("git", ["add", "-A"], { cwd: dir, env });
    execFileSync("git", ["commit", "-q", "-m", "initial"], { cwd: dir, env });
    return dir;
  }

  start(args: string[]): Started {
    const child = spawn(process.execPath, [CLI, ...this.store.args, ...args], {
      cwd: this.dir,
      env: { ...process.env, ...this.store.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (child.pid) this.pids.push(child.pid);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk) => (stdout += chunk));
    child.stderr?.on("data", (chunk) => (stderr += chunk));
    // A hung command is a finding, not a reason to hang the suite.
    const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
    const done = new Promise<CliResult>((resolve) =>
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr });
      }),
    );
    return { child, done };
  }

  run(args: string[]): Promise<CliResult> {
    return this.start(args).done;
  }

  async json<T>(args: string[]): Promise<T> {
    const result = await this.run([...args, "--json"]);
    if (result.code !== 0) throw new Error(`mlexp ${args.join(" ")} exited ${result.code}: ${result.stderr.trim()}`);
    return JSON.parse(result.stdout) as T;
  }

  /** Trains; a training that exits 0 joins the runs that must never be lost. */
  async train(args: string[]): Promise<CliResult> {
    const result = await this.run(["train", "--json", ...args]);
    this.record(result);
    return result;
  }

  record(result: CliResult): void {
    if (result.code === 0) this.successful.add((JSON.parse(result.stdout) as ModelRun).run_id);
  }

  tempFiles(): string[] {
    return listFiles(path.join(this.dir, ".mlexp")).filter((file) => file.endsWith(".tmp"));
  }

  lockFolders(): string[] {
    const root = path.join(this.dir, ".mlexp");
    return fs.existsSync(root) ? listEntries(root).filter((entry) => /\.lock(\.|$)/.test(path.basename(entry))) : [];
  }

  /** Every chunk entry of the workspace's packs. */
  chunkEntries(): PackLocation[] {
    return packEntries(path.join(this.dir, ".mlexp", "objects"));
  }
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function listEntries(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).map((entry) => path.join(entry.parentPath, entry.name));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Waits until `probe` holds (or the time is up), polling. */
export async function waitUntil(probe: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (probe()) return true;
    await sleep(20);
  }
  return false;
}

export function tempRoot(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-faults-")));
}
