import type { Database } from "sql.js";

/**
 * Each entry moves the schema one version up (`PRAGMA user_version`). They run inside the store's
 * write lock, so several processes opening an old store at once migrate it exactly once.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE model_runs (
    run_id TEXT PRIMARY KEY NOT NULL,
    model_class TEXT NOT NULL,
    hyperparameters TEXT NOT NULL,
    githash TEXT,
    feature_generator_class TEXT NOT NULL,
    dataset_class TEXT NOT NULL,
    metrics TEXT NOT NULL DEFAULT '{}',
    artifacts TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT,
    status TEXT NOT NULL,
    model_params TEXT NOT NULL DEFAULT '{}',
    feature_generator_params TEXT NOT NULL DEFAULT '{}',
    dataset_params TEXT NOT NULL DEFAULT '{}',
    seed INTEGER NOT NULL,
    metric TEXT NOT NULL,
    search TEXT NOT NULL,
    task TEXT NOT NULL,
    test_fraction REAL NOT NULL,
    backend TEXT,
    base_commit TEXT,
    dirty INTEGER,
    workspace_path TEXT,
    dataset_hash TEXT,
    dataset_rows INTEGER,
    reproduced_from TEXT,
    reproduction TEXT,
    details TEXT NOT NULL DEFAULT '{}',
    error TEXT,
    pid INTEGER,
    host TEXT,
    mlexp_version TEXT NOT NULL
  );
  CREATE INDEX model_runs_start ON model_runs (start_time);
  CREATE INDEX model_runs_model ON model_runs (model_class);
  CREATE TABLE metric_history (
    run_id TEXT NOT NULL REFERENCES model_runs (run_id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    name TEXT NOT NULL,
    value REAL,
    PRIMARY KEY (run_id, name, step)
  );
  CREATE TABLE search_trials (
    run_id TEXT NOT NULL REFERENCES model_runs (run_id) ON DELETE CASCADE,
    trial INTEGER NOT NULL,
    params TEXT NOT NULL,
    score REAL,
    fold_scores TEXT NOT NULL,
    PRIMARY KEY (run_id, trial)
  );`,
  // Distributed searches: each trial's outcome and the worker that ran it, and when.
  `ALTER TABLE search_trials ADD COLUMN status TEXT;
  ALTER TABLE search_trials ADD COLUMN error TEXT;
  ALTER TABLE search_trials ADD COLUMN worker TEXT;
  ALTER TABLE search_trials ADD COLUMN host TEXT;
  ALTER TABLE search_trials ADD COLUMN start_time TEXT;
  ALTER TABLE search_trials ADD COLUMN duration_ms REAL;`,
  // The journal beside the database (see RunDatabase): which journal generation this file goes with.
  // A newer mlexp writes changes there first, so an older one must refuse this file, not miss them.
  `CREATE TABLE store_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
  INSERT INTO store_meta (key, value) VALUES ('journal_generation', '0');
  CREATE INDEX model_runs_newest ON model_runs (start_time DESC, run_id DESC);
  CREATE INDEX model_runs_status ON model_runs (status);`,
];

export function journalGeneration(db: Database): number {
  return Number(db.exec("SELECT value FROM store_meta WHERE key = 'journal_generation'")[0]?.values[0][0] ?? 0);
}

export function setJournalGeneration(db: Database, generation: number): void {
  db.run("UPDATE store_meta SET value = ? WHERE key = 'journal_generation'", [String(generation)]);
}

export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Database): number {
  return db.exec("PRAGMA user_version")[0].values[0][0] as number;
}

/** Applies the migrations this database has not seen; returns how many ran. */
export function migrate(db: Database): number {
  const from = schemaVersion(db);
  for (let version = from; version < MIGRATIONS.length; version++) {
    db.exec("BEGIN");
    try {
      db.exec(MIGRATIONS[version]);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  }
  return MIGRATIONS.length - from;
}
