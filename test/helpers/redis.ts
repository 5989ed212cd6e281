import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

/**
 * A real redis-server 7 on 127.0.0.1, in a temporary folder, with AOF persistence (what BullMQ's
 * production guide asks for) and `noeviction`. Tests start one, may stop and restart it on the same
 * port and folder (the AOF brings the queue back), and always stop it after.
 */
export class RedisServer {
  private constructor(
    readonly dir: string,
    readonly port: number,
    /** AOF fsync policy: "always" in tests (nothing lost to a kill -9), Redis's default "everysec" in benchmarks. */
    private readonly fsync: "always" | "everysec",
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(options: { fsync?: "always" | "everysec" } = {}): Promise<RedisServer> {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-redis-")));
    const server = new RedisServer(dir, await freePort(), options.fsync ?? "always");
    await server.launch();
    return server;
  }

  /** Starts redis-server (again) on this server's port and folder, and waits until it answers. */
  async launch(): Promise<void> {
    const args = [
      "--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.dir,
      "--appendonly", "yes", "--appendfsync", this.fsync, "--maxmemory-policy", "noeviction",
      "--save", "", "--daemonize", "yes", "--pidfile", this.pidFile, "--logfile", path.join(this.dir, "redis.log"),
    ];
    execFileSync("redis-server", args, { stdio: "ignore" });
    await waitFor(() => canConnect(this.port), 10_000, `redis-server on port ${this.port} did not start (see ${this.dir}/redis.log)`);
  }

  /** Kills the server at once (as a crash would), keeping its folder for a restart. */
  async kill(): Promise<void> {
    const pid = this.pid();
    if (pid === undefined) return;
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      return;
    }
    await waitFor(async () => !isAlive(pid), 10_000, `redis-server ${pid} did not stop`);
    fs.rmSync(this.pidFile, { force: true });
  }

  async stop(): Promise<void> {
    await this.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs a command with redis-cli against this server and returns its output. */
  cli(...args: string[]): string {
    return execFileSync("redis-cli", ["-h", "127.0.0.1", "-p", String(this.port), ...args], { encoding: "utf8" }).trim();
  }

  private get pidFile(): string {
    return path.join(this.dir, "redis.pid");
  }

  private pid(): number | undefined {
    try {
      return Number(fs.readFileSync(this.pidFile, "utf8").trim()) || undefined;
    } catch {
      return undefined;
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A port nobody listens on now (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.end();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, failure: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(failure);
}
