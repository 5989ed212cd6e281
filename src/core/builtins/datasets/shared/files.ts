import * as fs from "node:fs";
import type { LoadContext } from "../../../components/dataAccessObject";
import { MlexpError } from "../../../util/errors";

/**
 * The absolute path of an input file named by a `path` parameter, after checking that it exists,
 * so that a typo is reported with where mlexp looked rather than as an ENOENT from deep inside a
 * parser.
 */
export function resolveInputFile(context: LoadContext, given: string, owner: string): string {
  if (given.trim() === "") {
    throw new MlexpError(`${owner}: the "path" parameter is empty.`, "invalid_params", "Give the path of the file to read.");
  }
  const resolved = context.resolvePath(given);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(resolved);
  } catch {
    throw new MlexpError(
      `${owner}: cannot find the file "${given}" (looked for ${resolved}).`,
      "invalid_params",
      `Relative paths are relative to the workspace folder (${context.workspace}); check the "path" parameter.`,
    );
  }
  if (stat.isDirectory()) {
    throw new MlexpError(`${owner}: "${given}" is a folder, not a file (${resolved}).`, "invalid_params", "Point \"path\" at a file.");
  }
  return resolved;
}

/** Up to `max` names for a hint, so that a 5,000-column file does not make a 5,000-name message. */
export function listNames(names: readonly string[], max = 30): string {
  if (names.length === 0) return "(none)";
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown}, … (${names.length} in all)` : shown;
}
