import type { RawParams } from "../components/params";
import type { SearchTrial } from "../store/runRecord";
import type { JsonObject } from "../util/json";
import type { TrialJobResult } from "../../protocol/queue";

/**
 * The coordinator's record of a distributed search: the first result of each trial wins and every
 * later one (a retried job whose first run also reported) is counted and dropped, so each trial's
 * score is recorded exactly once. Pure: no queue, no store, tested on its own.
 */
export class TrialCollector {
  private readonly results = new Map<number, SearchTrial>();
  readonly workers = new Set<string>();
  duplicates = 0;
  failures = 0;

  constructor(private readonly candidates: readonly RawParams[]) {}

  get total(): number {
    return this.candidates.length;
  }

  get done(): number {
    return this.results.size;
  }

  has(trial: number): boolean {
    return this.results.has(trial);
  }

  /** Records a worker's result; undefined when this trial already had one (or is not ours). */
  accept(result: TrialJobResult): SearchTrial | undefined {
    if (!Number.isInteger(result.trial) || result.trial < 0 || result.trial >= this.total) return undefined;
    if (this.results.has(result.trial)) {
      this.duplicates++;
      return undefined;
    }
    this.workers.add(result.worker);
    const trial: SearchTrial = {
      trial: result.trial,
      params: this.candidates[result.trial] as JsonObject,
      score: result.score ?? NaN,
      fold_scores: result.foldScores.map((score) => score ?? NaN),
      status: result.status,
      ...(result.error ? { error: result.error } : {}),
      worker: result.worker,
      host: result.host,
      start_time: result.startTime,
      duration_ms: result.durationMs,
    };
    if (result.status === "failed") this.failures++;
    this.results.set(result.trial, trial);
    return trial;
  }

  /** A trial whose job failed in the queue (not in the trial's code): recorded as failed. */
  acceptQueueFailure(trial: number, reason: string): SearchTrial | undefined {
    return this.accept({ trial, status: "failed", score: null, foldScores: [], error: reason, worker: "queue", host: "", startTime: new Date().toISOString(), durationMs: 0 });
  }

  missing(): number[] {
    return Array.from({ length: this.total }, (_, i) => i).filter((i) => !this.results.has(i));
  }

  trials(): SearchTrial[] {
    return [...this.results.values()].sort((a, b) => a.trial - b.trial);
  }

  firstError(): string | undefined {
    return this.trials().find((t) => t.status === "failed")?.error;
  }
}
