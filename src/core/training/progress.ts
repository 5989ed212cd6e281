import { MlexpError } from "../util/errors";

export type Phase = "load" | "split" | "features" | "search" | "fit" | "evaluate" | "save" | "reproduce";

/** What a long training says about itself: the CLI draws it, the extension forwards it. */
export interface Progress {
  runId?: string;
  phase: Phase;
  message: string;
  trial?: number;
  trials?: number;
  fold?: number;
  folds?: number;
  epoch?: number;
  /** A distributed search: the workers that have taken part so far ("host/pid"). */
  workers?: string[];
  /** The latest per-epoch figures (e.g. loss) or search score. */
  metrics?: Record<string, number>;
}

export type ProgressListener = (progress: Progress) => void;

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new MlexpError("Training was cancelled.", "cancelled");
}

export function isCancellation(error: unknown): boolean {
  return error instanceof MlexpError && error.code === "cancelled";
}
