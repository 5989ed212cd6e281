import type { RunFiles, RunFilesIndex } from "../../objects/runFiles";
import { isDeepStrictEqual } from "node:util";
import type { PostgresDatabase } from "./database";

/** The team store's list of each run's artifact files (`run_files`); their bytes are rows of `object_chunks`. */
export class PostgresRunFiles implements RunFilesIndex {
  constructor(private readonly db: PostgresDatabase) {}

  /** Writing a list again refreshes its time, so gc sees it as in use by the copy writing it. */
  put(files: RunFiles): Promise<"created" | "updated" | "unchanged"> {
    return this.db.transaction(async (client) => {
      const existing = await client.query<{ files: RunFiles["files"] }>("SELECT files FROM run_files WHERE run_id = $1 FOR UPDATE", [files.run_id]);
      await client.query(
        "INSERT INTO run_files (run_id, files) VALUES ($1, $2::jsonb) ON CONFLICT (run_id) DO UPDATE SET files = EXCLUDED.files, stored_at = now()",
        [files.run_id, JSON.stringify(files.files)],
      );
      if (!existing.rows.length) return "created";
      return isDeepStrictEqual(existing.rows[0].files, files.files) ? "unchanged" : "updated";
    });
  }

  async get(runId: string): Promise<RunFiles | undefined> {
    const result = await this.db.query<{ files: RunFiles["files"] }>("SELECT files FROM run_files WHERE run_id = $1", [runId]);
    return result.rows.length ? { run_id: runId, files: result.rows[0].files } : undefined;
  }
}
