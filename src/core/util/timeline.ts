import * as fs from "node:fs";
import { performance } from "node:perf_hooks";

/**
 * Where a command's time goes, for measuring (`MLEXP_TIMELINE=1 mlexp train …` prints each phase's
 * end, in ms since the process started, and the CPU this thread had used by then, on stderr at
 * exit). Off by default: a mark then costs one comparison. The marks live in Node's own
 * performance timeline, not in a variable of ours.
 */
const ENABLED = process.env.MLEXP_TIMELINE === "1";
const PREFIX = "mlexp:";

export function markPhase(name: string): void {
  if (ENABLED) performance.mark(PREFIX + name, { detail: threadCpuMs() });
}

/**
 * The CPU time the calling thread has used, in ms, when the timeline is on and the system says
 * (Linux: /proc/thread-self/schedstat, in ns). Per thread, because the process's own figure mixes
 * the training thread with the storing and snapshot threads and V8's compiler threads; and CPU
 * rather than wall time, because a machine loaded by other work stretches wall time, not CPU.
 */
export function threadCpuMs(): number | undefined {
  if (!ENABLED) return undefined;
  try {
    return Number(fs.readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0]) / 1e6;
  } catch {
    return undefined;
  }
}

/** Prints the marks at exit (once per process; the CLI calls it at start). */
export function printTimelineAtExit(): void {
  if (!ENABLED) return;
  process.once("exit", () => {
    const marks = performance.getEntriesByType("mark").filter((entry) => entry.name.startsWith(PREFIX)) as PerformanceMark[];
    let previous = 0;
    const lines = marks.map((entry) => {
      const cpu = typeof entry.detail === "number" ? entry.detail.toFixed(0).padStart(6) : "     -";
      const line = `${entry.startTime.toFixed(1).padStart(8)} ms  +${(entry.startTime - previous).toFixed(1).padStart(6)}  ${cpu}  ${entry.name.slice(PREFIX.length)}`;
      previous = entry.startTime;
      return line;
    });
    const header = "mlexp timeline (ms since the process started, + since the previous mark, CPU ms this thread had used):";
    process.stderr.write(`${header}\n${lines.join("\n")}\n${performance.now().toFixed(1).padStart(8)} ms  exit\n`);
  });
}
