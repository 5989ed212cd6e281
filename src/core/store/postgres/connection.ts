import * as os from "node:os";
import type * as pg from "pg";
import pgpass from "pgpass";
import { MlexpError, messageOf } from "../../util/errors";
import { redactMessage, redactUrl } from "../storeUrl";

export interface PostgresTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  /** `user@host:port/database`: how messages name the server (never with a password). */
  label: string;
}

export interface ConnectOptions {
  /** From VS Code's SecretStorage; otherwise PGPASSWORD or ~/.pgpass are used, as libpq does. */
  password?: string;
  /** Pool size per process (default 4). */
  maxConnections?: number;
}

/** Every failure to connect is reported within this time (the issue asks for 10 s). */
export const CONNECT_TIMEOUT_MS = 8_000;

/**
 * node-postgres, loaded when a team store first connects rather than when mlexp starts: loading it
 * took 50–75 ms of every command's start-up (its stream module probes for Cloudflare's runtime,
 * which makes Node load undici), and only a team store needs it.
 */
export function loadNodePostgres(): Promise<typeof pg> {
  return import("pg");
}

/** bigint columns (seed, dataset_rows) are safe integers here: read them as numbers. */
function typesOf(pgModule: typeof pg): pg.ClientConfig["types"] {
  return {
    getTypeParser: ((oid: number, format?: "text" | "binary") =>
      oid === 20 ? (value: string) => Number(value) : pgModule.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
  };
}

/**
 * Parses a `postgresql://user@host:port/database` URL. A password in the URL is refused: URLs end
 * up in settings, shell history and logs, so the password comes from PGPASSWORD, ~/.pgpass or
 * SecretStorage instead.
 */
export function parseTarget(url: string, env: NodeJS.ProcessEnv = process.env): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw malformed(url, "it is not a URL");
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw malformed(url, "it does not start with postgresql://");
  if (parsed.password) {
    throw new MlexpError(
      `The store URL ${redactUrl(url)} contains a password.`,
      "invalid_argument",
      "Remove it from the URL and give it with PGPASSWORD, ~/.pgpass, or in VS Code the command mlexp: Set Team Store Password.",
    );
  }
  const host = decodeURIComponent(parsed.hostname) || env.PGHOST || "localhost";
  const port = portOf(url, parsed.port || env.PGPORT || "5432");
  const user = decodeURIComponent(parsed.username) || env.PGUSER || safeUser();
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || env.PGDATABASE || user;
  if (database.includes("/")) throw malformed(url, `"${database}" is not a database name`);
  return { host, port, database, user, label: `${user}@${host}:${port}/${database}` };
}

function portOf(url: string, text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw malformed(url, `the port "${text}" is not a port number`);
  return port;
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return "postgres";
  }
}

function malformed(url: string, why: string): MlexpError {
  return new MlexpError(`The store URL ${redactUrl(url)} is malformed: ${why}.`, "invalid_argument", "Write it as postgresql://user@host:5432/database.");
}

/**
 * The password, asked for only when the server wants one: SecretStorage's, else PGPASSWORD, else
 * ~/.pgpass (PGPASSFILE), as libpq does. None at all is a clear error, not a hang.
 */
export function passwordSource(target: PostgresTarget, options: ConnectOptions, env: NodeJS.ProcessEnv = process.env): () => Promise<string> {
  return async () => {
    if (options.password) return options.password;
    if (env.PGPASSWORD) return env.PGPASSWORD;
    const fromFile = await new Promise<string | undefined>((resolve) => pgpass({ host: target.host, port: target.port, database: target.database, user: target.user }, resolve));
    if (fromFile) return fromFile;
    throw new MlexpError(`The PostgreSQL server ${target.host}:${target.port} asks for a password for user "${target.user}" and none was given.`, "store_auth", PASSWORD_HINT);
  };
}

export function clientConfig(pgModule: typeof pg, target: PostgresTarget, options: ConnectOptions): pg.ClientConfig {
  return {
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password: passwordSource(target, options),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: "mlexp",
    types: typesOf(pgModule),
  };
}

export function createPool(pgModule: typeof pg, target: PostgresTarget, options: ConnectOptions): pg.Pool {
  const pool = new pgModule.Pool({
    ...clientConfig(pgModule, target, options),
    max: options.maxConnections ?? 4,
    idleTimeoutMillis: 10_000,
    // Idle connections do not keep a finished CLI command alive.
    allowExitOnIdle: true,
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  return pool;
}

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN", "EPIPE", "57P01", "57P02", "57P03", "08006", "08001", "08004", "53300"]);

/** Turns a node-postgres error into a one-line MlexpError that names the server and never the password. */
export function translateError(error: unknown, target: PostgresTarget, password?: string): MlexpError {
  if (error instanceof MlexpError) return error;
  const code = (error as { code?: string }).code ?? "";
  const raw = redactMessage(messageOf(error), password ?? process.env.PGPASSWORD).replace(/\s+/g, " ").trim();
  const where = `${target.host}:${target.port}`;
  if (code === "28P01" || /password authentication failed/i.test(raw)) {
    return new MlexpError(`The PostgreSQL server ${where} refused the password of user "${target.user}".`, "store_auth", PASSWORD_HINT);
  }
  if (/client password must be a string|no password/i.test(raw)) {
    return new MlexpError(`The PostgreSQL server ${where} asks for a password for user "${target.user}" and none was given.`, "store_auth", PASSWORD_HINT);
  }
  if (code === "28000") return new MlexpError(`The PostgreSQL server ${where} refused user "${target.user}" (${raw}).`, "store_auth", "Ask the server's administrator for access (pg_hba.conf and a role).");
  if (code === "3D000") {
    return new MlexpError(`The database "${target.database}" does not exist on the PostgreSQL server ${where}.`, "invalid_argument", `Create it (createdb -h ${target.host} -p ${target.port} -U ${target.user} ${target.database}) or fix the URL.`);
  }
  if (UNREACHABLE.has(code) || /timeout|terminated|connect|closed|ECONN|getaddrinfo/i.test(raw)) {
    return new MlexpError(`Cannot reach the PostgreSQL server ${where} (${raw || code}).`, "store_unavailable", "Check that it is running and that the host and port in the store URL are right.");
  }
  if (code === "23505") return new MlexpError(`The PostgreSQL store ${target.label} already has this entry (${raw}).`, "store_conflict");
  return new MlexpError(`The PostgreSQL store ${target.label} failed: ${raw}${code ? ` (${code})` : ""}.`, "store_corrupted");
}

const PASSWORD_HINT = "Give it with PGPASSWORD or ~/.pgpass, or in VS Code with the command mlexp: Set Team Store Password; never in the URL.";
