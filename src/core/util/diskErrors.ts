import { MlexpError } from "./errors";

const DISK_FULL_CODES = new Set(["ENOSPC", "EDQUOT"]);

export function isDiskFull(error: unknown): boolean {
  return DISK_FULL_CODES.has((error as NodeJS.ErrnoException | undefined)?.code ?? "");
}

/**
 * A write that failed because the disk (or the user's quota) is full, said with the folder and the
 * size that did not fit, instead of a bare "ENOSPC: no space left on device, write". Other errors
 * are returned as they are.
 */
export function explainWriteError(error: unknown, folder: string, bytes: number | undefined, what: string): unknown {
  if (!isDiskFull(error)) return error;
  if (bytes === undefined) {
    return new MlexpError(`The disk holding ${folder} is full: ${what} did not fit.`, "disk_full", "Free space there (`mlexp delete` old runs, then `mlexp gc --now`) and try again.");
  }
  return new MlexpError(
    `The disk holding ${folder} is full: ${what} needed up to ${formatBytes(bytes)} more.`,
    "disk_full",
    `Free that much there (\`mlexp delete\` old runs, then \`mlexp gc --now\`) and try again.`,
  );
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
