import { randomBytes } from "node:crypto";
import { MlexpError } from "../util/errors";
import { previewJson } from "../util/json";
import { RUN_ID_PATTERN } from "./runRecord";

/** `YYYYMMDD-HHMMSS-xxxxxxxx` (UTC): sorts by start time and is unique across processes. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${stamp}-${randomBytes(4).toString("hex")}`;
}

export function isRunId(value: unknown): value is string {
  return typeof value === "string" && RUN_ID_PATTERN.test(value);
}

/**
 * Checks a run id (or a unique prefix of one) before it is used in a path or a git command: only
 * digits, hex letters and dashes can pass.
 */
export function checkRunIdSyntax(value: unknown): string {
  if (typeof value === "string" && /^[0-9a-f-]{4,}$/.test(value) && value.length <= 24) return value;
  throw new MlexpError(
    `${previewJson(value, 40)} is not a run id.`,
    "invalid_run_id",
    "Run ids look like 20261126-064801-3fa9c2d1; list them with `mlexp runs`.",
  );
}
