/**
 * An error meant for the person at the keyboard: `message` says what was wrong, `hint` how to fix
 * it. The CLI prints both on one line; the extension shows them in a notification.
 */
export class MlexpError extends Error {
  constructor(
    message: string,
    readonly code: MlexpErrorCode,
    readonly hint?: string,
  ) {
    super(hint ? `${message} ${hint}` : message);
    this.name = "MlexpError";
  }
}

export type MlexpErrorCode =
  | "unknown_component"
  | "invalid_params"
  | "invalid_data"
  | "invalid_config"
  | "not_git"
  | "unknown_run"
  | "invalid_run_id"
  | "store_corrupted"
  | "store_conflict"
  | "store_unavailable"
  | "store_auth"
  | "object_missing"
  | "object_corrupted"
  | "snapshot_missing"
  | "dirty_worktree"
  | "cancelled"
  | "disk_full"
  | "run_in_use"
  | "invalid_argument"
  | "queue_unreachable"
  | "trial_failed"
  | "code_unavailable"
  | "store_mismatch"
  | "dependencies_failed";

export function isMlexpError(error: unknown): error is MlexpError {
  return error instanceof MlexpError;
}

/** The message of anything thrown, without a stack. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
