import type { Progress } from "../core/training/progress";

/**
 * One status line on stderr that rewrites itself on a terminal; nothing when stderr is not a
 * terminal (logs and CI stay clean) or when output is JSON.
 */
export class ProgressDisplay {
  private lastDraw = 0;
  private visible = false;

  constructor(private readonly enabled = Boolean(process.stderr.isTTY)) {}

  update(progress: Progress): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 80 && progress.phase === "fit") return;
    this.lastDraw = now;
    const width = process.stderr.columns || 100;
    const text = `${progress.phase.padEnd(8)} ${distributed(progress)}${progress.message}${figures(progress.metrics)}`.slice(0, width - 1);
    process.stderr.write(`\r\x1b[2K${text}`);
    this.visible = true;
  }

  clear(): void {
    if (!this.visible) return;
    process.stderr.write("\r\x1b[2K");
    this.visible = false;
  }
}

/** A distributed search: "[3/60 trials, 2 workers] ". */
function distributed(progress: Progress): string {
  if (!progress.workers) return "";
  return `[${progress.trial ?? 0}/${progress.trials ?? "?"} trials, ${progress.workers.length} worker${progress.workers.length === 1 ? "" : "s"}] `;
}

function figures(metrics: Record<string, number> | undefined): string {
  if (!metrics) return "";
  return ` ${Object.entries(metrics)
    .map(([name, value]) => `${name}=${value.toFixed(4)}`)
    .join(" ")}`;
}
