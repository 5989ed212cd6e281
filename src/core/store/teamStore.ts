import type { ObjectBackend } from "../objects/objectBackend";
import type { RunFilesIndex } from "../objects/runFiles";
import { PostgresDatabase } from "./postgres/database";
import { collectTeamObjects, type TeamGcResult } from "./postgres/postgresGc";
import { PostgresObjectBackend } from "./postgres/postgresObjectBackend";
import { PostgresRunFiles } from "./postgres/postgresRunFiles";
import { DEFAULT_STALE_AFTER_MS, PostgresRunStore } from "./postgres/postgresRunStore";
import type { RunStore } from "./runStore";

export interface TeamStore {
  runs: RunStore;
  objects: ObjectBackend;
  /** Each run's artifact files (their bytes are chunks of `objects`). */
  files: RunFilesIndex;
  /** Removes objects and file lists no run uses, stored before the grace and before the earliest running training started. */
  collectGarbage(graceMs: number, earliestRunningStart?: string): Promise<TeamGcResult>;
}

export interface TeamStoreOptions {
  /** From VS Code's SecretStorage; otherwise PGPASSWORD / ~/.pgpass. */
  password?: string;
  /** A running run whose heartbeat is older than this is crashed (default 60 s; MLEXP_STALE_AFTER_SECONDS). */
  staleAfterMs?: number;
}

/** The team store for a `postgresql://` URL: runs, objects and run files in one database, sharing one pool. */
export function openTeamStore(url: string, options: TeamStoreOptions = {}, env: NodeJS.ProcessEnv = process.env): TeamStore {
  const db = new PostgresDatabase(url, { password: options.password });
  const fromEnv = Number(env.MLEXP_STALE_AFTER_SECONDS);
  const staleAfterMs = options.staleAfterMs ?? (fromEnv > 0 ? fromEnv * 1000 : DEFAULT_STALE_AFTER_MS);
  const objects = new PostgresObjectBackend(db);
  return {
    runs: new PostgresRunStore(db, staleAfterMs),
    objects,
    files: new PostgresRunFiles(db),
    collectGarbage: (graceMs, earliestRunningStart) => collectTeamObjects(db, objects, graceMs, earliestRunningStart),
  };
}
