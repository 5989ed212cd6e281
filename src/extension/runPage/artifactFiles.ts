import * as fs from "node:fs";
import * as path from "node:path";
import { isRunId } from "../../core/store/runId";
import { STORE_DIR } from "../../core/store/store";
import type { ArtifactFile } from "../../protocol/runPage";

/** At most this many files are listed (a model that saves thousands of shards still gets a page). */
const MAX_FILES = 200;

/** The files of a run's artifact folder with their sizes; none for an id that is not a run id or a folder that is gone. */
export function artifactFiles(workspace: string, runId: string): ArtifactFile[] {
  if (!isRunId(runId)) return [];
  const dir = path.join(workspace, STORE_DIR, "runs", runId);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .slice(0, MAX_FILES)
    .map((entry) => {
      const full = path.join(entry.parentPath, entry.name);
      return { path: path.relative(dir, full).split(path.sep).join("/"), bytes: fs.statSync(full).size };
    });
}
