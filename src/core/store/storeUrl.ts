import * as path from "node:path";
import { MlexpError } from "../util/errors";

export type StoreLocation =
  | { kind: "workspace"; /** The workspace folder whose `.mlexp/` holds the store. */ workspace: string }
  | { kind: "postgresql"; url: string };

/** The environment variable that chooses the store when `--store` is not given. */
export const STORE_ENV = "MLEXP_STORE";

/**
 * Where runs are stored: `--store URL`, else `MLEXP_STORE`, else the workspace's own database.
 * `workspace` (or nothing) is the current workspace; `postgresql://user@host:port/db` a team
 * store; any other value a path to another workspace folder (for `mlexp push --to ../other`).
 */
export function resolveStore(workspace: string, explicit?: string, env: NodeJS.ProcessEnv = process.env): StoreLocation {
  const value = (explicit ?? env[STORE_ENV] ?? "").trim();
  if (value === "" || value === "workspace") return { kind: "workspace", workspace };
  if (/^postgres(ql)?:/i.test(value)) return { kind: "postgresql", url: value };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !value.startsWith("file://")) {
    throw new MlexpError(
      `The store "${redactUrl(value)}" is not a store mlexp knows.`,
      "invalid_argument",
      "Use workspace, a workspace folder, or postgresql://user@host:5432/database.",
    );
  }
  const folder = value.startsWith("file://") ? new URL(value).pathname : value;
  return { kind: "workspace", workspace: path.resolve(workspace, folder) };
}

/** A URL with any password removed, for messages. */
export function redactUrl(text: string): string {
  return text.replace(/(\/\/[^/@:\s]*):[^/@\s]*@/g, "$1:***@");
}

/** Removes anything that looks like a password in a URL from a message. */
export function redactMessage(message: string, password?: string): string {
  let text = redactUrl(message);
  if (password) text = text.split(password).join("***");
  return text;
}
