import { readdirSync, readFileSync } from "node:fs";

// Linux-only on purpose: /proc lets us find every descendant, including those that left the
// process group (node-pty terminals call setsid), which a plain `kill(-pgid)` would miss.

interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  zombie: boolean;
}

function readProcInfo(pid: number): ProcInfo | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined; // exited between listing and reading
  }
  // The command name (field 2) is in parentheses and may itself contain spaces or ')'.
  const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // A zombie is dead; it only waits for a parent (or a non-reaping container init) to reap it.
  return { pid, ppid: Number(ppid), pgid: Number(pgid), zombie: state === "Z" || state === "X" };
}

function allProcesses(): ProcInfo[] {
  const infos: ProcInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProcInfo(Number(entry));
    if (info) infos.push(info);
  }
  return infos;
}

/** `root`, its descendants and members of its process group, that are still running. */
export function processTree(root: number): number[] {
  const processes = allProcesses().filter((p) => !p.zombie);
  const childrenOf = new Map<number, number[]>();
  for (const p of processes) {
    const siblings = childrenOf.get(p.ppid) ?? [];
    siblings.push(p.pid);
    childrenOf.set(p.ppid, siblings);
  }
  const found = new Set<number>();
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    if (found.has(pid)) continue;
    found.add(pid);
    pending.push(...(childrenOf.get(pid) ?? []));
  }
  // Orphans re-parented to init are no longer descendants, but still carry the group id.
  for (const p of processes) if (p.pgid === root) found.add(p.pid);
  const alive = new Set(processes.map((p) => p.pid));
  return [...found].filter((pid) => alive.has(pid));
}

export function isRunning(pid: number): boolean {
  const info = readProcInfo(pid);
  return info !== undefined && !info.zombie;
}

export function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
