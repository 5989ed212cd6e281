import { performance } from "node:perf_hooks";

/**
 * Where a command's time goes, for measuring (`MLEXP_TIMELINE=1 mlexp train …` prints each phase's
 * end, in ms since the process started, on stderr at exit). Off by default: a mark then costs one
 * comparison. The marks live in Node's own performance timeline, not in a variable of ours.
 */
const ENABLED = process.env.MLEXP_TIMELINE === "1";
const PREFIX = "mlexp:";

export function markPhase(name: string): void {
  if (ENABLED) performance.mark(PREFIX + name);
}

/** Prints the marks at exit (once per process; the CLI calls it at start). */
export function printTimelineAtExit(): void {
  if (!ENABLED) return;
  process.once("exit", () => {
    const marks = performance.getEntriesByType("mark").filter((entry) => entry.name.startsWith(PREFIX));
    let previous = 0;
    const lines = marks.map((entry) => {
      const line = `${entry.startTime.toFixed(1).padStart(8)} ms  +${(entry.startTime - previous).toFixed(1).padStart(6)}  ${entry.name.slice(PREFIX.length)}`;
      previous = entry.startTime;
      return line;
    });
    process.stderr.write(`mlexp timeline (ms since the process started):\n${lines.join("\n")}\n${performance.now().toFixed(1).padStart(8)} ms  exit\n`);
  });
}
