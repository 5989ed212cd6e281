import type { ObjectBackend } from "../objects/objectBackend";
import { copyRunFiles, type RunFilesEnd } from "../objects/runFiles";
import { copyDataset } from "../objects/transfer";
import { MlexpError, messageOf } from "../util/errors";
import type { ModelRun } from "./runRecord";
import type { ImportOutcome, RunStore } from "./runStore";

/** One end of a copy: a run store with its objects. */
export interface StoreEnd {
  runs: RunStore;
  objects: ObjectBackend;
  /** The runs' artifact files (model files, run.json, …). */
  files: RunFilesEnd;
}

export interface CopyReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Runs that could not be copied, with why; the others were. */
  failed: { run_id: string; reason: string }[];
  chunksSent: number;
  bytesSent: number;
  /** Artifact files written or listed at the destination (0 when it had them all). */
  filesCopied: number;
}

/**
 * Copies runs with their curves, trials, datasets and artifact files from one store to another. For
 * each run the dataset goes first (its chunks, then its manifest), then its files (chunks, then the
 * file list; or each file renamed into place once checked), and the run last, in one transaction: a copy
 * killed half-way leaves each run either absent from the destination or complete there, and the
 * next copy sends only what is missing. Copying again changes nothing.
 */
export async function copyRuns(from: StoreEnd, to: StoreEnd, runs: readonly ModelRun[], onRun?: (runId: string, outcome: ImportOutcome | "failed") => void): Promise<CopyReport> {
  const report: CopyReport = { created: [], updated: [], unchanged: [], failed: [], chunksSent: 0, bytesSent: 0, filesCopied: 0 };
  for (const run of runs) {
    try {
      if (run.status === "running") throw new MlexpError(`Run ${run.run_id} is still running.`, "invalid_argument", "Copy it once it has finished.");
      if (run.dataset_hash) {
        const sent = await copyDataset(run.dataset_hash, from.objects, to.objects);
        report.chunksSent += sent.chunksSent;
        report.bytesSent += sent.bytesSent;
      }
      const files = await copyRunFiles(run.run_id, from.files, to.files);
      report.chunksSent += files.chunksSent;
      report.bytesSent += files.bytesSent;
      report.filesCopied += files.filesCopied;
      const [history, trials] = await Promise.all([from.runs.getHistory(run.run_id), from.runs.getTrials(run.run_id)]);
      const outcome = await to.runs.importRun({ run: { ...run, status: run.status === "crashed" ? "running" : run.status }, history, trials });
      report[outcome].push(run.run_id);
      onRun?.(run.run_id, outcome);
    } catch (error) {
      if (error instanceof MlexpError && (error.code === "store_unavailable" || error.code === "store_auth")) throw error;
      report.failed.push({ run_id: run.run_id, reason: messageOf(error) });
      onRun?.(run.run_id, "failed");
    }
  }
  return report;
}
