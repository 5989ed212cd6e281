import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CLI } from "./cli";
import { git, initRepo } from "./gitRepo";
import { tempDir } from "./tempDir";

export { PROBE_CONFIG } from "./probeModel";
import { PROBE_CONFIG } from "./probeModel";

export interface RepoWithRemote {
  /** The user's workspace: a git repository whose origin is `remote`. */
  repo: string;
  /** A bare repository standing for the team's git server. */
  remote: string;
}

/** A workspace with mlexp.config.ts committed, and a bare remote as its origin. */
export function repoWithRemote(files: Record<string, string> = {}): RepoWithRemote {
  const repo = tempDir("mlexp-coord-");
  const remote = path.join(tempDir("mlexp-remote-"), "team.git");
  git(path.dirname(remote), "init", "-q", "--bare", remote);
  initRepo(repo, { "mlexp.config.ts": PROBE_CONFIG, ".gitignore": "node_modules\n", ...files });
  git(repo, "remote", "add", "origin", remote);
  git(repo, "push", "-q", "origin", "main");
  return { repo, remote };
}

/** `mlexp worker` as its own process, its output collected line by line. */
export class WorkerProcess {
  readonly lines: string[] = [];
  stderr = "";
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(queue: string, store: string, options: { concurrency?: number; cacheDir?: string; remote?: string; env?: NodeJS.ProcessEnv } = {}) {
    const args = [CLI, "worker", "--queue", queue, "--store", store, "--concurrency", String(options.concurrency ?? 1)];
    args.push("--cache-dir", options.cacheDir ?? tempDir("mlexp-cache-"));
    if (options.remote) args.push("--remote", options.remote);
    this.child = spawn(process.execPath, args, {
      stdio: ["ignore", "pipe", "pipe"],
      // Tests want a dead worker's trial back on the queue in seconds, not the default 15 s.
      env: { ...process.env, MLEXP_WORKER_LOCK_MS: "4000", MLEXP_WORKER_STALLED_MS: "2000", ...options.env },
    });
    let partial = "";
    this.child.stdout?.on("data", (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const parts = text.split("\n");
      partial = parts.pop() ?? "";
      this.lines.push(...parts);
    });
    this.child.stderr?.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on("close", (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid as number;
  }

  async waitForLine(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const line = this.lines.find((l) => pattern.test(l));
      if (line) return line;
      if (this.child.exitCode !== null) break;
      await sleep(50);
    }
    throw new Error(`worker never printed ${pattern}; it printed:\n${this.lines.join("\n")}\n${this.stderr}`);
  }

  /** Ready when it says so (it has connected to the queue). */
  ready(): Promise<string> {
    return this.waitForLine(/takes trials from/);
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Stops it if it still runs (after each test). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGKILL");
    await this.exited;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function storeExists(workspace: string): boolean {
  return fs.existsSync(path.join(workspace, ".mlexp", "mlexp.db"));
}

/** The CLI as a process a test can signal (a coordinator to cancel with Ctrl-C). */
export function startCli(args: string[], cwd: string): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

/** Polls until `check` holds, or fails after `timeoutMs` saying what it waited for. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`waited ${timeoutMs} ms for ${what}`);
}
