import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { readE2eInstall, type E2eInstall } from "./paths";
import { isRunning, processTree, signalAll } from "./processTree";

export interface StartCodeServerOptions {
  /** Folder opened in the workbench; must exist. */
  workspace: string;
  /** Defaults to a fresh temp folder (removed by stop()). */
  extensionsDir?: string;
  /** Defaults to a fresh temp folder (removed by stop()). */
  userDataDir?: string;
  /** Merged over DEFAULT_E2E_SETTINGS into `<userDataDir>/User/settings.json`. */
  settings?: Record<string, unknown>;
  /** A `.vsix` file, or an unpacked extension folder (one with a package.json). */
  vsixOrExtensionDir?: string;
  /** More unpacked extension folders, installed after `vsixOrExtensionDir` (e.g. a test-runner extension). */
  additionalExtensionDirs?: readonly string[];
  /**
   * Keep VS Code's workspace trust on (default: off, with --disable-workspace-trust). Pair it with
   * the setting "security.workspace.trust.startupPrompt": "never" to open the folder in restricted mode.
   */
  workspaceTrust?: boolean;
  /** Extra environment for code-server and hence the extension host. */
  env?: Record<string, string>;
  /** How long to wait for the HTTP server to answer; default 90 s (2 cores, cold disk). */
  startTimeoutMs?: number;
}

export interface CodeServer {
  /** Opens `workspace` directly (no redirect through the last-opened folder). */
  url: string;
  port: number;
  /** The code-server wrapper process; its whole tree is what stop() kills. */
  pid: number;
  userDataDir: string;
  extensionsDir: string;
  /** Kills code-server and every process it started; removes the temp folders it created. */
  stop(): Promise<void>;
  /** code-server's own stdout+stderr so far. */
  logs(): string;
  /** The extension host's logs (activation errors land here, not in logs()). */
  extensionHostLogs(): string;
}

/**
 * Settings that keep the workbench quiet and deterministic: no welcome page, no AI panel opening
 * over the UI, no network calls for updates or recommendations. Tests may override any of them.
 */
export const DEFAULT_E2E_SETTINGS: Readonly<Record<string, unknown>> = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.enableExperiments": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "security.workspace.trust.enabled": false,
  "git.openRepositoryInParentFolders": "never",
  "window.restoreWindows": "none",
};

const LOG_LIMIT_CHARS = 2_000_000;
const KEEP_TEMP = process.env.MLEXP_E2E_KEEP_TEMP === "1";

export async function startCodeServer(options: StartCodeServerOptions): Promise<CodeServer> {
  const install = readE2eInstall();
  const workspace = resolve(options.workspace);
  if (!existsSync(workspace) || !statSync(workspace).isDirectory()) {
    throw new Error(`startCodeServer: workspace ${workspace} is not an existing folder`);
  }
  const root = mkdtempSync(join(tmpdir(), "mlexp-e2e-cs-"));
  const removeOwnedDirs = (): void => {
    if (!KEEP_TEMP) rmSync(root, { recursive: true, force: true });
  };
  try {
    const userDataDir = options.userDataDir ? resolve(options.userDataDir) : join(root, "user-data");
    const extensionsDir = options.extensionsDir ? resolve(options.extensionsDir) : join(root, "extensions");
    mkdirSync(userDataDir, { recursive: true });
    mkdirSync(extensionsDir, { recursive: true });
    const env = isolatedEnv(root, options.env);
    const configFile = join(root, "config.yaml");
    const baseArgs = [install.codeServerEntry, "--config", configFile, "--user-data-dir", userDataDir, "--extensions-dir", extensionsDir];

    writeUserSettings(userDataDir, options.settings ?? {});
    if (options.vsixOrExtensionDir) {
      writeConfigYaml(configFile, 0); // the CLI reads it too, or it writes one into the home folder
      await installExtension(install, baseArgs, env, extensionsDir, resolve(options.vsixOrExtensionDir));
    }
    for (const dir of options.additionalExtensionDirs ?? []) copyUnpackedExtension(resolve(dir), extensionsDir);
    const trustArgs = options.workspaceTrust ? [] : ["--disable-workspace-trust"];
    const serverArgs = [...baseArgs, "--disable-telemetry", "--disable-update-check", ...trustArgs, workspace];
    const running = await launchOnFreePort(install, serverArgs, env, configFile, KEEP_TEMP ? [] : [root], options.startTimeoutMs ?? 90_000);

    const url = new URL(`http://127.0.0.1:${running.port}/`);
    url.searchParams.set("folder", workspace);
    let stopped = false;
    return {
      url: url.toString(),
      port: running.port,
      pid: running.server.child.pid ?? -1,
      userDataDir,
      extensionsDir,
      logs: running.server.logs,
      extensionHostLogs: () => readExtensionHostLogs(userDataDir),
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await killTree(running.server.child);
        } finally {
          running.guardian?.kill();
          removeOwnedDirs();
        }
      },
    };
  } catch (error) {
    removeOwnedDirs();
    throw error;
  }
}

interface RunningServer {
  port: number;
  server: Launched;
  guardian: ChildProcess | undefined;
}

const PORT_ATTEMPTS = 3;

/** Another process can take the probed port before code-server binds it; then try a new one. */
async function launchOnFreePort(
  install: E2eInstall,
  serverArgs: readonly string[],
  env: NodeJS.ProcessEnv,
  configFile: string,
  tempDirs: readonly string[],
  startTimeoutMs: number,
): Promise<RunningServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await findFreeLoopbackPort();
    writeConfigYaml(configFile, port);
    const server = launch(install.node, serverArgs, env);
    const guardian = startGuardian(install.node, server.child, tempDirs);
    try {
      await waitForHealthy(port, server, startTimeoutMs);
      return { port, server, guardian };
    } catch (error) {
      await killTree(server.child);
      guardian?.kill();
      if (attempt >= PORT_ATTEMPTS || !server.logs().includes("EADDRINUSE")) throw error;
    }
  }
}

/** Port 0 lets the kernel pick; the tiny race until code-server binds it is accepted. */
function findFreeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port ? resolvePort(port) : reject(new Error("no free port"))));
    });
  });
}

/** Without --config code-server writes (and reads a password from) ~/.config/code-server. */
function writeConfigYaml(file: string, port: number): void {
  writeFileSync(file, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
}

/**
 * code-server keeps logs and IPC sockets under XDG folders (defaulting to the home folder), and
 * inherits VSCODE_* variables that would make it talk to an outer VS Code; isolate both.
 */
function isolatedEnv(root: string, extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("VSCODE_") || key === "ELECTRON_RUN_AS_NODE") continue;
    env[key] = value;
  }
  for (const sub of ["xdg-data", "xdg-config", "xdg-runtime"]) mkdirSync(join(root, sub), { mode: 0o700 });
  env.XDG_DATA_HOME = join(root, "xdg-data");
  env.XDG_CONFIG_HOME = join(root, "xdg-config");
  env.XDG_RUNTIME_DIR = join(root, "xdg-runtime");
  // An empty gallery turns the marketplace off: no lookups of hosts we cannot (and must not) reach.
  env.EXTENSIONS_GALLERY = "{}";
  return { ...env, ...extra };
}

function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void {
  const userDir = join(userDataDir, "User");
  mkdirSync(userDir, { recursive: true });
  const merged = { ...DEFAULT_E2E_SETTINGS, ...settings };
  writeFileSync(join(userDir, "settings.json"), `${JSON.stringify(merged, null, 2)}\n`);
}

async function installExtension(
  install: E2eInstall,
  baseArgs: readonly string[],
  env: NodeJS.ProcessEnv,
  extensionsDir: string,
  source: string,
): Promise<void> {
  if (!existsSync(source)) throw new Error(`extension source ${source} does not exist`);
  if (statSync(source).isDirectory()) {
    copyUnpackedExtension(source, extensionsDir);
    return;
  }
  if (!source.endsWith(".vsix")) throw new Error(`extension source ${source} is neither a folder nor a .vsix`);
  const cli = launch(install.node, [...baseArgs, "--install-extension", source, "--force"], env);
  const code = await new Promise<number | null>((done) => cli.child.once("exit", (exitCode) => done(exitCode)));
  if (code !== 0) {
    throw new Error(`code-server --install-extension ${source} exited with ${code}:\n${cli.logs()}`);
  }
}

interface ExtensionManifest {
  publisher: string;
  name: string;
  version: string;
}

function readManifest(folder: string): ExtensionManifest {
  const file = join(folder, "package.json");
  if (!existsSync(file)) throw new Error(`${folder} has no package.json, so it is not an extension folder`);
  const manifest: unknown = JSON.parse(readFileSync(file, "utf8"));
  const record = (typeof manifest === "object" && manifest !== null ? manifest : {}) as Record<string, unknown>;
  const { publisher, name, version } = record;
  if (typeof publisher !== "string" || typeof name !== "string" || typeof version !== "string") {
    throw new Error(`${file} needs string "publisher", "name" and "version" fields to be installed as an extension`);
  }
  return { publisher, name, version };
}

/**
 * VS Code only scans the folder when it has no extensions.json yet; once it has one, an
 * unlisted folder is ignored, so we add our entry to it in that case.
 */
function copyUnpackedExtension(source: string, extensionsDir: string): void {
  const { publisher, name, version } = readManifest(source);
  const id = `${publisher}.${name}`.toLowerCase();
  const folderName = `${id}-${version}`;
  const target = join(extensionsDir, folderName);
  rmSync(target, { recursive: true, force: true });
  cpSync(source, target, { recursive: true, filter: (path) => basename(path) !== ".git" });
  registerInExtensionsJson(extensionsDir, id, version, folderName, target);
}

interface ExtensionsJsonEntry {
  identifier: { id: string };
  version: string;
  location: { $mid: number; path: string; scheme: string };
  relativeLocation: string;
}

function registerInExtensionsJson(extensionsDir: string, id: string, version: string, folderName: string, target: string): void {
  const file = join(extensionsDir, "extensions.json");
  if (!existsSync(file)) return;
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
  const entries = (Array.isArray(parsed) ? parsed : []) as ExtensionsJsonEntry[];
  const others = entries.filter((entry) => entry.identifier?.id?.toLowerCase() !== id);
  others.push({
    identifier: { id },
    version,
    location: { $mid: 1, path: target, scheme: "file" },
    relativeLocation: folderName,
  });
  writeFileSync(file, JSON.stringify(others));
}

interface Launched {
  child: ChildProcess;
  logs(): string;
}

function launch(node: string, args: readonly string[], env: NodeJS.ProcessEnv): Launched {
  // detached: its own process group, so the whole tree can be signalled without touching ours.
  const child = spawn(node, args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const append = (chunk: Buffer): void => {
    output += chunk.toString("utf8");
    if (output.length > LOG_LIMIT_CHARS) output = output.slice(-LOG_LIMIT_CHARS / 2);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  child.once("error", (error) => append(Buffer.from(`\n[harness] spawn failed: ${error.message}\n`)));
  return { child, logs: () => output };
}

async function waitForHealthy(port: number, server: Launched, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const healthUrl = `http://127.0.0.1:${port}/healthz`;
  let lastProblem = "no answer yet";
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`code-server exited (${server.child.exitCode ?? server.child.signalCode}) before it answered:\n${server.logs()}`);
    }
    try {
      const response = await fetch(healthUrl, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await delay(250);
  }
  throw new Error(`code-server did not answer ${healthUrl} within ${timeoutMs} ms (last: ${lastProblem}). Its output:\n${server.logs()}`);
}

/** SIGTERM gives code-server a moment to shut its extension host down; SIGKILL whatever is left. */
async function killTree(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  // Collected before signalling: once the parent dies, its children are re-parented away.
  const tree = processTree(pid);
  signalAll(tree, "SIGTERM");
  if (await waitUntilGone(tree, 3_000)) return;
  signalAll([...new Set([...tree, ...processTree(pid)])], "SIGKILL");
  if (await waitUntilGone(tree, 5_000)) return;
  const survivors = tree.filter(isRunning);
  throw new Error(`code-server processes survived SIGKILL: ${survivors.join(", ")}`);
}

async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!pids.some(isRunning)) return true;
    await delay(100);
  }
  return !pids.some(isRunning);
}

/**
 * Last resort if the test process dies without stop() (Ctrl+C, SIGKILL, a crashed worker): a
 * small process that kills code-server's tree when its stdin pipe from us closes. code-server
 * runs in its own process group, so a Ctrl+C in the terminal would not reach it otherwise.
 */
function startGuardian(node: string, server: ChildProcess, tempDirs: readonly string[]): ChildProcess | undefined {
  if (server.pid === undefined) return undefined;
  const guardian = spawn(node, ["--no-warnings", join(__dirname, "guardian.ts"), String(server.pid), ...tempDirs], {
    // Its own process group: a Ctrl+C must kill the runner, not the guardian that cleans up after it.
    detached: true,
    stdio: ["pipe", "ignore", "ignore"],
  });
  // Neither the guardian nor its pipe may keep a test process alive that is otherwise done.
  guardian.unref();
  if (guardian.stdin instanceof Socket) guardian.stdin.unref();
  guardian.stdin?.on("error", () => undefined); // EPIPE once the guardian has exited
  return guardian;
}

function readExtensionHostLogs(userDataDir: string): string {
  const logsDir = join(userDataDir, "logs");
  if (!existsSync(logsDir)) return "";
  const files = listFiles(logsDir).filter((file) => /exthost/i.test(file) && file.endsWith(".log"));
  return files.map((file) => `===== ${file}\n${readFileSync(file, "utf8")}`).join("\n");
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
