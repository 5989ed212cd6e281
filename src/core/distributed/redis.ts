import type { Redis, RedisOptions } from "ioredis";
import { MlexpError, messageOf } from "../util/errors";

/** `--queue` parsed: what ioredis and BullMQ need, and how to name it without its password. */
export interface QueueAddress {
  options: RedisOptions;
  /** The URL without credentials, for every message, log and record. */
  label: string;
}

/** Parses `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS). */
export function parseQueueUrl(url: string): QueueAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badUrl(url);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") throw badUrl(url);
  const db = parsed.pathname.replace(/^\//, "");
  if (db && !/^\d+$/.test(db)) throw badUrl(url);
  const options: RedisOptions = {
    host: parsed.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1",
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
  };
  return { options, label: `${parsed.protocol}//${parsed.host}${db ? `/${db}` : ""}` };
}

function badUrl(url: string): MlexpError {
  const shown = url.replace(/\/\/[^@/]*@/, "//");
  return new MlexpError(`${JSON.stringify(shown)} is not a Redis URL.`, "invalid_argument", "Give --queue as redis://HOST:PORT (e.g. redis://127.0.0.1:6379).");
}

/** Options for long-lived connections: commands wait through a Redis restart instead of failing. */
export function durableOptions(address: QueueAddress): RedisOptions {
  return { ...address.options, maxRetriesPerRequest: null, retryStrategy: (attempt) => Math.min(attempt * 200, 2000) };
}

/**
 * Fails fast, with a clear error, when nothing answers at the queue's address: before a search
 * records anything, and before a worker starts.
 */
export async function checkQueueReachable(address: QueueAddress, timeoutMs = 5000): Promise<void> {
  const { Redis } = await import("ioredis");
  const client = new Redis({ ...address.options, lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  let cause: string | undefined;
  client.on("error", (error: Error) => (cause ??= error.message));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw unreachable(address, cause ?? messageOf(error));
  } finally {
    client.disconnect();
  }
}

export function unreachable(address: QueueAddress, why: string, forSeconds?: number): MlexpError {
  const time = forSeconds === undefined ? "" : ` for ${Math.round(forSeconds)} s`;
  return new MlexpError(
    `The queue ${address.label} has been unreachable${time}: ${why.replace(/\/\/[^@/\s]*@/g, "//").replace(/\.$/, "")}.`,
    "queue_unreachable",
    "Check that redis-server runs there and that this machine can reach it (--queue redis://HOST:PORT).",
  );
}

/**
 * Watches a connection: how long it has been down. A search fails once its queue stays
 * unreachable past a limit instead of hanging.
 */
export class ConnectionWatch {
  private downSince?: number;
  private lastError = "connection lost";

  constructor(client: Redis) {
    client.on("ready", () => (this.downSince = undefined));
    client.on("error", (error: Error) => (this.lastError = error.message));
    client.on("close", () => (this.downSince ??= Date.now()));
    client.on("end", () => (this.downSince ??= Date.now()));
  }

  /** Seconds the connection has been down, 0 when it is up. */
  downForSeconds(): number {
    return this.downSince === undefined ? 0 : (Date.now() - this.downSince) / 1000;
  }

  get reason(): string {
    return this.lastError;
  }
}
