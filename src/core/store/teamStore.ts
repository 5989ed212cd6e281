import type { ObjectBackend } from "../objects/objectBackend";
import { PostgresDatabase } from "./postgres/database";
import { PostgresObjectBackend } from "./postgres/postgresObjectBackend";
import { DEFAULT_STALE_AFTER_MS, PostgresRunStore } from "./postgres/postgresRunStore";
import type { RunStore } from "./runStore";

export interface TeamStore {
  runs: RunStore;
  objects: ObjectBackend;
}

export interface TeamStoreOptions {
  /** From VS Code's SecretStorage; otherwise PGPASSWORD / ~/.pgpass. */
  password?: string;
  /** A running run whose heartbeat is older than this is crashed (default 60 s; MLEXP_STALE_AFTER_SECONDS). */
  staleAfterMs?: number;
}

/** The team store for a `postgresql://` URL: runs and objects in one database, sharing one pool. */
export function openTeamStore(url: string, options: TeamStoreOptions = {}, env: NodeJS.ProcessEnv = process.env): TeamStore {
  const db = new PostgresDatabase(url, { password: options.password });
  const fromEnv = Number(env.MLEXP_STALE_AFTER_SECONDS);
  const staleAfterMs = options.staleAfterMs ?? (fromEnv > 0 ? fromEnv * 1000 : DEFAULT_STALE_AFTER_MS);
  return { runs: new PostgresRunStore(db, staleAfterMs), objects: new PostgresObjectBackend(db) };
}
