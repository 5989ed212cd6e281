import * as fs from "node:fs";
import * as path from "node:path";
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

/** Every store backend the project has; the suite runs each scenario against each of them. */
export const BACKENDS: StoreBackend[] = [workspaceSqlJs];
