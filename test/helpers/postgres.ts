import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { Client } from "pg";

const run = promisify(execFile);

/** Debian's PostgreSQL 15 (`apt-get install postgresql`; .ci/run installs it). */
export const PG_BIN = process.env.MLEXP_PG_BIN ?? "/usr/lib/postgresql/15/bin";

export interface PostgresServer {
  host: "127.0.0.1";
  port: number;
  /** A superuser that logs in over TCP with `password` (scram-sha-256). */
  user: string;
  password: string;
  dataDir: string;
  /** A connection URL without the password (give it with PGPASSWORD, as users do). */
  url(database?: string): string;
  /** A new empty database; returns its URL (without the password). */
  createDatabase(name?: string): Promise<string>;
  /** Runs SQL as the superuser in a database. */
  query(database: string, sql: string, params?: unknown[]): Promise<unknown[]>;
  /** Stops the server now (`pg_ctl -m immediate`), as a crash or a pulled cable would. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data folder. */
  restart(): Promise<void>;
  /** Stops it and removes its data folder. */
  stop(): Promise<void>;
}

export function postgresAvailable(): boolean {
  return fs.existsSync(path.join(PG_BIN, "initdb"));
}

/** Runs a PostgreSQL program as the `postgres` user when we are root (initdb refuses root). */
async function asPostgres(program: string, args: string[]): Promise<void> {
  const file = path.join(PG_BIN, program);
  const isRoot = process.getuid?.() === 0;
  await run(isRoot ? "runuser" : file, isRoot ? ["-u", "postgres", "--", file, ...args] : args, { timeout: 60_000 });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

let counter = 0;

/**
 * A throwaway PostgreSQL 15 cluster in a temporary folder, listening on 127.0.0.1 only, with
 * password authentication over TCP. Starts in about two seconds; call `stop()` after the tests.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-pg-"));
  fs.chmodSync(dataDir, 0o700);
  const user = "mlexp";
  const password = `pw-${process.pid}-${Date.now().toString(36)}`;
  const pwfile = path.join(dataDir, "..", `${path.basename(dataDir)}.pw`);
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (process.getuid?.() === 0) {
    await run("chown", ["-R", "postgres:postgres", dataDir, pwfile]);
  }
  const cluster = path.join(dataDir, "cluster");
  await asPostgres("initdb", ["-D", cluster, "-U", user, "--auth-local=trust", "--auth-host=scram-sha-256", `--pwfile=${pwfile}`, "-E", "UTF8", "--no-sync"]);
  fs.rmSync(pwfile, { force: true });
  const port = await freePort();
  const start = () =>
    asPostgres("pg_ctl", ["-D", cluster, "-o", `-k ${dataDir} -h 127.0.0.1 -p ${port} -c fsync=off -c max_connections=200`, "-l", path.join(dataDir, "log"), "-w", "start"]);
  await start();

  const connect = async (database: string) => {
    const client = new Client({ host: "127.0.0.1", port, user, password, database });
    await client.connect();
    return client;
  };
  const server: PostgresServer = {
    host: "127.0.0.1",
    port,
    user,
    password,
    dataDir,
    url: (database = "postgres") => `postgresql://${user}@127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      const database = name ?? `mlexp_test_${process.pid}_${++counter}`;
      const client = await connect("postgres");
      try {
        await client.query(`CREATE DATABASE "${database.replace(/"/g, "")}"`);
      } finally {
        await client.end();
      }
      return server.url(database);
    },
    async query(database, sql, params = []) {
      const client = await connect(database);
      try {
        return (await client.query(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
    async kill() {
      await asPostgres("pg_ctl", ["-D", cluster, "-m", "immediate", "stop"]).catch(() => undefined);
    },
    async restart() {
      await start();
    },
    async stop() {
      await server.kill();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}
