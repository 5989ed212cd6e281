import type * as pg from "pg";
import { MlexpError } from "../../util/errors";

/** Any number that is the same in every mlexp: the advisory lock migrations run under. */
const MIGRATION_LOCK = 727_311_012;

/**
 * The team database's schema, one entry per version, recorded in `mlexp_schema_migrations`. JSON
 * fields are JSONB; every lookup the views make and every foreign key has an index (PostgreSQL
 * indexes neither by itself).
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE model_runs (
    run_id text PRIMARY KEY,
    model_class text NOT NULL,
    hyperparameters jsonb NOT NULL,
    githash text,
    feature_generator_class text NOT NULL,
    dataset_class text NOT NULL,
    metrics jsonb NOT NULL DEFAULT '{}',
    artifacts text NOT NULL,
    start_time text NOT NULL,
    end_time text,
    status text NOT NULL,
    model_params jsonb NOT NULL DEFAULT '{}',
    feature_generator_params jsonb NOT NULL DEFAULT '{}',
    dataset_params jsonb NOT NULL DEFAULT '{}',
    seed bigint NOT NULL,
    metric text NOT NULL,
    search jsonb NOT NULL,
    task text NOT NULL,
    test_fraction double precision NOT NULL,
    backend text,
    base_commit text,
    dirty boolean,
    workspace_path text,
    dataset_hash text,
    dataset_rows bigint,
    reproduced_from text,
    reproduction jsonb,
    details jsonb NOT NULL DEFAULT '{}',
    error text,
    pid integer,
    host text,
    mlexp_version text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX model_runs_newest ON model_runs (start_time DESC, run_id DESC);
  CREATE INDEX model_runs_model ON model_runs (model_class, start_time DESC);
  CREATE INDEX model_runs_running ON model_runs (status) WHERE status = 'running';
  CREATE INDEX model_runs_dataset ON model_runs (dataset_hash);
  CREATE INDEX model_runs_reproduced_from ON model_runs (reproduced_from);
  CREATE INDEX model_runs_id_prefix ON model_runs (run_id text_pattern_ops);
  CREATE TABLE metric_history (
    run_id text NOT NULL REFERENCES model_runs (run_id) ON DELETE CASCADE,
    name text NOT NULL,
    step integer NOT NULL,
    value double precision,
    PRIMARY KEY (run_id, name, step)
  );
  CREATE TABLE search_trials (
    run_id text NOT NULL REFERENCES model_runs (run_id) ON DELETE CASCADE,
    trial integer NOT NULL,
    params jsonb NOT NULL,
    score double precision,
    fold_scores jsonb NOT NULL,
    PRIMARY KEY (run_id, trial)
  );
  CREATE TABLE run_heartbeats (
    run_id text PRIMARY KEY REFERENCES model_runs (run_id) ON DELETE CASCADE,
    beat_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE mlexp_changes (id integer PRIMARY KEY, counter bigint NOT NULL);
  INSERT INTO mlexp_changes VALUES (1, 0);
  CREATE FUNCTION mlexp_runs_changed() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE mlexp_changes SET counter = counter + 1 WHERE id = 1;
    PERFORM pg_notify('mlexp_runs', '');
    RETURN NULL;
  END $$;
  CREATE TRIGGER model_runs_changed AFTER INSERT OR UPDATE OR DELETE ON model_runs
    FOR EACH STATEMENT EXECUTE FUNCTION mlexp_runs_changed();
  CREATE TABLE object_chunks (
    hash text PRIMARY KEY,
    bytes bytea NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now()
  );
  -- Chunks are brotli-compressed already: TOAST compression would only cost time.
  ALTER TABLE object_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL;
  CREATE TABLE dataset_manifests (
    hash text PRIMARY KEY,
    manifest jsonb NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now()
  );`,
  // Distributed searches: each trial's outcome and the worker that ran it, and the store's identity
  // (a worker checks it is reading the run's store).
  `ALTER TABLE search_trials
    ADD COLUMN status text, ADD COLUMN error text, ADD COLUMN worker text, ADD COLUMN host text,
    ADD COLUMN start_time text, ADD COLUMN duration_ms double precision;
  CREATE TABLE mlexp_store_identity (id text PRIMARY KEY);
  INSERT INTO mlexp_store_identity VALUES (gen_random_uuid()::text);`,
  // Each run's artifact files (model files, run.json, …) as a list of chunked files; the bytes are
  // rows of object_chunks. No foreign key: the list is written before the run row (push order).
  `CREATE TABLE run_files (
    run_id text PRIMARY KEY,
    files jsonb NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now()
  );`,
];

export const PG_SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the schema up to date. Runs under a session advisory lock, so of several processes
 * starting on a new database at once, one migrates and the others wait, then find nothing to do.
 */
export async function migrate(client: pg.PoolClient): Promise<number> {
  await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
  try {
    await client.query("CREATE TABLE IF NOT EXISTS mlexp_schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
    const { rows } = await client.query<{ version: number | null }>("SELECT max(version) AS version FROM mlexp_schema_migrations");
    const from = rows[0]?.version ?? 0;
    if (from > MIGRATIONS.length) {
      throw new MlexpError(`The team database has schema version ${from}, newer than this mlexp understands (${MIGRATIONS.length}).`, "store_corrupted", "Update mlexp.");
    }
    for (let version = from; version < MIGRATIONS.length; version++) {
      await client.query("BEGIN");
      try {
        await client.query(MIGRATIONS[version]);
        await client.query("INSERT INTO mlexp_schema_migrations (version) VALUES ($1)", [version + 1]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    }
    return MIGRATIONS.length - from;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
  }
}
