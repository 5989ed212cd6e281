import type { ErrorCode } from "../../protocol/training";

/**
 * How a training ended, as the Train Model and Reproduce Run commands return it (to other
 * extensions and to tests: `await vscode.commands.executeCommand("mlexp.trainModel", …)`). The
 * person at the keyboard has already been told by a notification.
 */
export type Outcome<R> =
  | { status: "finished"; result: R }
  | { status: "failed"; message: string; code: ErrorCode }
  | { status: "cancelled"; message: string };
