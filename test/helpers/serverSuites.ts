import { afterAll, afterEach, beforeAll } from "vitest";
import type { SearchTrial } from "../../src/core/index";
import { runCliJson } from "./cli";
import { WorkerProcess } from "./distributed";
import { startPostgres, type PostgresServer } from "./postgres";
import { RedisServer } from "./redis";

// Test files that need a real server call one of these at their top level: the server starts once
// before the file's tests and stops after them, so no file repeats the start/stop hooks.

export interface PostgresSuite {
  /** The file's PostgreSQL server (set before the first test runs). */
  readonly server: PostgresServer;
  /** How many rows `table` (or a `table WHERE …` clause) has in the database a URL names. */
  count(url: string, table: string): Promise<number>;
}

export function usePostgres(): PostgresSuite {
  let server: PostgresServer | undefined;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });
  const started = (): PostgresServer => {
    if (!server) throw new Error("the PostgreSQL server is used before beforeAll started it");
    return server;
  };
  return {
    get server() {
      return started();
    },
    async count(url, table) {
      const rows = await started().query(databaseOf(url), `SELECT count(*)::int AS n FROM ${table}`);
      return (rows[0] as { n: number }).n;
    },
  };
}

/** The database name at the end of a connection URL. */
export function databaseOf(url: string): string {
  return url.split("/").pop() as string;
}

export interface QueueSuite {
  /** The file's Redis server (set before the first test runs). */
  readonly redis: RedisServer;
  /** A `mlexp worker` process on this queue, stopped after the test that started it. */
  startWorker(store: string, options?: WorkerOptions): WorkerProcess;
  /** `count` workers, resolved once each says it takes trials. */
  startWorkers(count: number, store: string, options?: WorkerOptions): Promise<WorkerProcess[]>;
}

type WorkerOptions = ConstructorParameters<typeof WorkerProcess>[2];

export function useQueueWithWorkers(): QueueSuite {
  let redis: RedisServer | undefined;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });
  const started = (): RedisServer => {
    if (!redis) throw new Error("the Redis server is used before beforeAll started it");
    return redis;
  };
  const startWorker = (store: string, options: WorkerOptions = {}): WorkerProcess => {
    const worker = new WorkerProcess(started().url, store, options);
    workers.push(worker);
    return worker;
  };
  return {
    get redis() {
      return started();
    },
    startWorker,
    startWorkers(count, store, options) {
      const pool = Array.from({ length: count }, () => startWorker(store, options));
      return Promise.all(pool.map(async (w) => (await w.ready(), w)));
    },
  };
}

/** A run's trials as `mlexp show --json` gives them (a failed trial's NaN score is null in JSON). */
export async function trialsOf(repo: string, runId: string): Promise<SearchTrial[]> {
  return (await runCliJson<{ trials: SearchTrial[] }>(["show", runId], repo)).trials;
}
