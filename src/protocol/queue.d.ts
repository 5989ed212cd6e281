/**
 * The contract between a coordinator (the CLI's or the extension's training process running a
 * distributed search) and the workers (`mlexp worker`) on any machine, through BullMQ on Redis:
 * the queue's name, a job's data, its progress, its return value, and the key that cancels a run.
 * Both sides import this file. Types and pure helpers only: importing it never loads BullMQ.
 *
 * Consistency: a job is one trial of one run, with the job id `<run_id>.t<trial>`, so adding it
 * twice is a no-op. A job is delivered at least once (a worker that dies loses its lock and the job
 * runs again elsewhere); the coordinator keeps the first result per trial and ignores the others,
 * so each trial's score is recorded exactly once. A trial that fails in the user's code completes
 * its job with `status: "failed"` (running it again would fail again); a job fails in BullMQ's
 * sense only when it was cancelled.
 */
import type { SearchSettings } from "../core/training/search";
export declare const TRIAL_QUEUE = "mlexp-trials";
export declare const PROTOCOL_VERSION = 1;
export type JsonParams = Record<string, unknown>;
/** Where the run's code is: a commit reachable from `ref` on the git remote `remote`. */
export interface TrialCode {
    /** The remote's URL, credentials removed (a worker uses its own). */
    remote: string;
    /** `refs/mlexp/runs/<run_id>`, pushed by the coordinator before the first job. */
    ref: string;
    commit: string;
    /** The workspace folder inside the repository ("" at its top). */
    workspacePath: string;
}
/** The run's request, exactly as the coordinator resolved it (names and JSON, no classes). */
export interface TrialRequest {
    model: string;
    modelParams: JsonParams;
    featureGenerator: string;
    featureGeneratorParams: JsonParams;
    dataset: string;
    datasetParams: JsonParams;
    seed: number;
    metric: string;
    search: SearchSettings;
    testFraction: number;
}
export interface TrialJobData {
    protocol: typeof PROTOCOL_VERSION;
    runId: string;
    /** The trial's index in the search's candidate order, and how many there are. */
    trial: number;
    trials: number;
    params: JsonParams;
    request: TrialRequest;
    code: TrialCode;
    /** The store holding the dataset, by its identity; a worker checks its own store is this one. */
    storeId: string;
    datasetHash: string;
}
/** What a worker says while a trial runs. */
export interface TrialJobProgress {
    worker: string;
    host: string;
    fold: number;
    folds: number;
}
export interface TrialJobResult {
    trial: number;
    status: "finished" | "failed";
    /** Mean of the fold scores (null when failed). */
    score: number | null;
    foldScores: (number | null)[];
    error?: string;
    worker: string;
    host: string;
    startTime: string;
    durationMs: number;
}
/** BullMQ job ids may not contain ":" and must not look like integers. */
export declare function trialJobId(runId: string, trial: number): string;
export declare function isTrialJobOf(runId: string, jobId: string | undefined): boolean;
/** Set (with a time to live) when a run is cancelled: workers check it while its trials run. */
export declare function cancelKey(runId: string): string;
export declare const CANCEL_KEY_TTL_SECONDS: number;
/**
 * Kept alive (with a time to live) by the coordinator while it waits for the run's trials. A
 * worker drops a trial whose coordinator has gone (killed, or failed on a queue that was
 * unreachable too long) instead of spending hours on a search nobody will record.
 */
export declare function coordinatorKey(runId: string): string;
/** Narrows a job's data read from Redis: anything else (another version, another tool) is refused. */
export declare function isTrialJobData(value: unknown): value is TrialJobData;
/** Narrows a job's return value. */
export declare function isTrialJobResult(value: unknown): value is TrialJobResult;
export declare function isTrialJobProgress(value: unknown): value is TrialJobProgress;
