import type { Phase } from "../../core/training/progress";
import type { ProgressMessage } from "../../protocol/training";
import { formatNumber } from "../util/format";

export const PHASE_LABELS: Record<Phase, string> = {
  load: "Loading data",
  split: "Splitting",
  features: "Generating features",
  search: "Searching hyperparameters",
  fit: "Fitting",
  evaluate: "Evaluating",
  save: "Saving",
  reproduce: "Restoring code",
};

/** "Fitting · Epoch 12 · loss 0.4123": what the notification and a running run's description say. */
export function progressText(progress: ProgressMessage): string {
  const parts = [PHASE_LABELS[progress.phase] ?? progress.phase];
  if (progress.workers) parts.push(`${progress.trial ?? 0}/${progress.trials ?? "?"} trials on ${progress.workers.length} worker${progress.workers.length === 1 ? "" : "s"}`);
  if (progress.message && progress.message !== parts[0]) parts.push(progress.message);
  const metrics = Object.entries(progress.metrics ?? {}).map(([name, value]) => `${name} ${formatNumber(value)}`);
  if (metrics.length) parts.push(metrics.join(", "));
  return parts.join(" · ");
}

/** Shorter text for a tree item's description. */
export function shortProgressText(progress: ProgressMessage): string {
  if (progress.epoch !== undefined) {
    const loss = progress.metrics?.loss;
    return `epoch ${progress.epoch}${loss !== undefined ? ` · loss ${formatNumber(loss)}` : ""}`;
  }
  if (progress.trial !== undefined && progress.trials !== undefined) return `trial ${progress.trial}/${progress.trials}`;
  return (PHASE_LABELS[progress.phase] ?? progress.phase).toLowerCase();
}

/**
 * How far along a run is, 0–100, when the library says (search trials); undefined when it does not,
 * so the notification shows an indeterminate bar rather than a made-up percentage.
 */
export function percentDone(progress: ProgressMessage): number | undefined {
  if (progress.trial === undefined || !progress.trials) return undefined;
  // A distributed search counts trials done (in any order), not the trial being scored.
  if (progress.workers) return Math.min(100, Math.round((progress.trial / progress.trials) * 100));
  const foldShare = progress.fold && progress.folds ? (progress.fold - 1) / progress.folds : 0;
  return Math.min(100, Math.round(((progress.trial - 1 + foldShare) / progress.trials) * 100));
}
