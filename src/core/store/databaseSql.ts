/** The sql.js steps the workspace database applies: transactions, journal lines, readability, run-id bookkeeping. */
import type { Database } from "sql.js";
import { MlexpError, messageOf } from "../util/errors";
import { applyChange, type StoreChange } from "./changes";
import type { RunIdSet } from "./runIds";
import { schemaVersion, SCHEMA_VERSION } from "./schema";

/** Keeps a writer's set of run ids in step with journaled changes. */
export function noteIds(ids: RunIdSet, changes: readonly StoreChange[]): void {
  for (const change of changes) {
    // Lines come from a file: a damaged one is skipped here as readers skip it.
    const created = change.op === "create" ? change.run?.run_id : change.op === "import" ? change.bundle?.run?.run_id : undefined;
    if (typeof created === "string") ids.add(created);
    else if (change.op === "delete" && typeof change.id === "string") ids.delete(change.id);
  }
}

export function transaction(db: Database, fn: () => void): void {
  db.exec("BEGIN");
  try {
    fn();
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

/** A journal line that does not apply (written by a damaged process, or by hand) is skipped, alone. */
export function applyQuietly(db: Database, change: StoreChange): void {
  db.exec("SAVEPOINT change");
  try {
    applyChange(db, change);
    db.exec("RELEASE change");
  } catch {
    db.exec("ROLLBACK TO change");
    db.exec("RELEASE change");
  }
}

export function checkReadable(db: Database, file: string): void {
  let version: number;
  try {
    version = schemaVersion(db);
  } catch (error) {
    throw new MlexpError(
      `The run database ${file} is corrupted (${messageOf(error)}).`,
      "store_corrupted",
      "Nothing was changed. Run `mlexp db rebuild`: it rebuilds the database from the runs' run.json manifests and keeps the damaged file aside.",
    );
  }
  if (version > SCHEMA_VERSION) {
    throw new MlexpError(
      `The run database ${file} has schema version ${version}, newer than this mlexp understands (${SCHEMA_VERSION}).`,
      "store_corrupted",
      "Update mlexp.",
    );
  }
}
