import type * as pg from "pg";
import { clientConfig, createPool, loadNodePostgres, parseTarget, translateError, type ConnectOptions, type PostgresTarget } from "./connection";
import { migrate } from "./schema";

/**
 * One team database: a small connection pool, the schema brought up to date on first use, and
 * every error turned into a one-line message naming the server (never the password).
 */
export class PostgresDatabase {
  readonly target: PostgresTarget;
  /** Made on first use: node-postgres is loaded then (see loadNodePostgres). */
  private pool: Promise<pg.Pool> | undefined;
  private ready: Promise<void> | undefined;

  constructor(
    url: string,
    private readonly options: ConnectOptions = {},
  ) {
    this.target = parseTarget(url);
  }

  get description(): string {
    return `postgresql://${this.target.label}`;
  }

  /** Runs `fn` with a client of the pool, after the schema is ready. */
  async withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.ensureReady();
    const client = await this.connect();
    try {
      return await fn(client);
    } catch (error) {
      throw this.translate(error);
    } finally {
      client.release();
    }
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    return this.withClient((client) => client.query<R>(sql, params));
  }

  /** Runs `fn` in one transaction: all of it is visible to others, or none of it. */
  transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await client.query("BEGIN");
      try {
        const result = await fn(client);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    });
  }

  /** A client outside the pool, for LISTEN. */
  async listenClient(): Promise<pg.Client> {
    const pgModule = await loadNodePostgres();
    const client = new pgModule.Client(clientConfig(pgModule, this.target, this.options));
    client.on("error", () => undefined);
    try {
      await client.connect();
    } catch (error) {
      throw this.translate(error);
    }
    return client;
  }

  translate(error: unknown) {
    return translateError(error, this.target, this.options.password);
  }

  async close(): Promise<void> {
    if (this.pool) await (await this.pool).end().catch(() => undefined);
  }

  private async connect(): Promise<pg.PoolClient> {
    this.pool ??= loadNodePostgres().then((pgModule) => createPool(pgModule, this.target, this.options));
    try {
      return await (await this.pool).connect();
    } catch (error) {
      throw this.translate(error);
    }
  }

  /** Migrates once per process; a failed attempt (server down) is retried by the next call. */
  private async ensureReady(): Promise<void> {
    this.ready ??= (async () => {
      const client = await this.connect();
      try {
        await migrate(client);
      } catch (error) {
        throw this.translate(error);
      } finally {
        client.release();
      }
    })();
    try {
      await this.ready;
    } catch (error) {
      this.ready = undefined;
      throw error;
    }
  }
}
