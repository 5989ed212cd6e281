import * as os from "node:os";

/**
 * Whether a process recorded by pid and host is known to be gone. Only processes of this host can
 * be checked (signal 0); one of another host is never taken for gone.
 */
export function processIsGone(pid: number | null | undefined, host: string | null | undefined): boolean {
  if (pid == null || host !== os.hostname()) return false;
  return !processExists(pid);
}

export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
