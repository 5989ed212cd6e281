import * as fs from "node:fs";
import * as path from "node:path";
import { PG_BIN, postgresAvailable, startPostgres, type PostgresServer } from "../helpers/postgres";
import { queryDatabaseFile } from "../helpers/sqlite";

/**
 * A run store the fault suite runs against. The suite knows a store only through the CLI: a
 * backend says how to point the CLI at a store for a workspace (environment and arguments), how
 * to check its integrity, and which of the database faults it can suffer. Adding a backend (the
 * PostgreSQL store, say) is adding an entry to BACKENDS: start the server in `prepare`, give each
 * workspace its own database in `attach`, run its own consistency check in `integrity`.
 */
export interface StoreBackend {
  name: string;
  /** `workspace`: runs in `.mlexp/mlexp.db`, which `db rebuild` rebuilds; `team`: a server holds them. */
  kind: "workspace" | "team";
  /** Why it cannot run on this machine (printed as a skip notice), or undefined. */
  unavailable(): Promise<string | undefined>;
  /** Once before the suite (start a server); the returned function stops what it started. */
  prepare(): Promise<() => Promise<void>>;
  /** Points the CLI at a store for `workspace`. */
  attach(workspace: string): Promise<AttachedStore>;
}

export interface AttachedStore {
  env: Record<string, string>;
  /** Arguments put before the command, e.g. ["--store", url]. */
  args: string[];
  /** Problems an integrity check of the store finds (empty: sound). */
  integrity(): Promise<string[]>;
  /** Database faults this store can be given; a scenario needing one it lacks is skipped, with a notice. */
  faults: Partial<Record<DatabaseFault, (random: () => number) => void>>;
  detach(): Promise<void>;
}

export type DatabaseFault = "truncate" | "random" | "delete";

/** The workspace's own `.mlexp/mlexp.db`, written with sql.js. */
const workspaceSqlJs: StoreBackend = {
  name: "workspace sql.js",
  kind: "workspace",
  unavailable: async () => undefined,
  prepare: async () => async () => undefined,
  attach: async (workspace) => {
    const file = path.join(workspace, ".mlexp", "mlexp.db");
    return {
      env: {},
      args: [],
      integrity: async () => {
        if (!fs.existsSync(file)) return [];
        try {
          const rows = await queryDatabaseFile(file, "PRAGMA integrity_check");
          const verdict = rows.map((row) => String(row.integrity_check)).join("; ");
          return verdict === "ok" ? [] : [`integrity_check: ${verdict}`];
        } catch (error) {
          return [`the database file cannot be read: ${(error as Error).message}`];
        }
      },
      faults: {
        truncate: () => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2)),
        random: (random: () => number) => {
          const bytes = Buffer.alloc(fs.statSync(file).size);
          for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
          fs.writeFileSync(file, bytes);
        },
        delete: () => fs.rmSync(file),
      } as AttachedStore["faults"],
      detach: async () => undefined,
    };
  },
};

/**
 * A team's PostgreSQL 15 store: one throwaway server (started on 127.0.0.1 by the suite) and a
 * database per workspace, chosen with MLEXP_STORE and PGPASSWORD as a user would. Its integrity
 * check is PostgreSQL's own: every foreign key holds and nothing is left half-written.
 */
function postgresStore(): StoreBackend {
  let server: PostgresServer | undefined;
  return {
    name: "PostgreSQL team store",
    kind: "team",
    unavailable: async () => (postgresAvailable() ? undefined : `PostgreSQL 15 is not installed (${PG_BIN}): skipped`),
    prepare: async () => {
      server = await startPostgres();
      const started = server;
      return () => started.stop();
    },
    attach: async () => {
      const pg = server as PostgresServer;
      const url = await pg.createDatabase();
      const database = new URL(url).pathname.slice(1);
      return {
        env: { MLEXP_STORE: url, PGPASSWORD: pg.password },
        args: [],
        integrity: async () => {
          const rows = (await pg.query(
            database,
            `SELECT (SELECT count(*) FROM metric_history h WHERE NOT EXISTS (SELECT 1 FROM model_runs r WHERE r.run_id = h.run_id))
                  + (SELECT count(*) FROM search_trials t WHERE NOT EXISTS (SELECT 1 FROM model_runs r WHERE r.run_id = t.run_id)) AS orphans`,
          )) as { orphans: string }[];
          return Number(rows[0]?.orphans ?? 0) ? [`${rows[0].orphans} learning-curve or trial rows without their run`] : [];
        },
        faults: {},
        detach: async () => undefined,
      };
    },
  };
}

/** Every store backend the project has; the suite runs each scenario against each of them. */
export const BACKENDS: StoreBackend[] = [workspaceSqlJs, postgresStore()];
