import type { RunDiff } from "../../../core/diff/types";
import type { RunDiffMessage } from "../../../protocol/compare";
import type { RunDiffSource } from "./diffSource";
import { rowSampleCsv } from "./rowSample";

/** One side of a file diff: a path in a snapshot commit, or nothing (the file is added or removed). */
export interface SnapshotFile {
  commit: string;
  path: string;
  absent: boolean;
}

/** What "What changed" needs from VS Code (the real editor in the extension, fakes in tests). */
export interface WhatChangedHost {
  /** Opens VS Code's diff editor on two read-only snapshot documents. */
  openFileDiff(left: SnapshotFile, right: SnapshotFile, title: string): Promise<void>;
  /** Opens a read-only document with this text. */
  openReadOnly(name: string, text: string, language: string): Promise<void>;
}

/**
 * The "What changed" section's logic, free of `vscode`: diffs a base run against other runs (one
 * message per run, so each card fills in as soon as its diff is ready), and opens a changed file or
 * the sample of changed rows from a diff it computed — never from paths or commits the webview
 * made up: the webview names a run pair and a path, and both must be in that diff.
 */
export class WhatChanged {
  private readonly diffs = new Map<string, RunDiff>();

  constructor(
    private readonly source: RunDiffSource,
    private readonly host: WhatChangedHost,
  ) {}

  async requestDiffs(baseRunId: string, runIds: readonly string[], post: (message: RunDiffMessage) => PromiseLike<unknown> | unknown): Promise<void> {
    for (const runId of runIds) {
      if (runId === baseRunId) continue;
      try {
        const diff = await this.source.diff(baseRunId, runId);
        this.diffs.set(key(baseRunId, runId), diff);
        await post({ type: "runDiff", baseRunId, runId, diff });
      } catch (error) {
        await post({ type: "runDiff", baseRunId, runId, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  async openFileDiff(baseRunId: string, runId: string, path: string): Promise<void> {
    const diff = this.known(baseRunId, runId);
    if (diff.code.status !== "changed") throw new Error(`The code of run ${runId} is the same as run ${baseRunId}'s.`);
    const file = diff.code.files.find((f) => f.path === path);
    if (!file) throw new Error(`${path} did not change between run ${baseRunId} and run ${runId}.`);
    const left: SnapshotFile = { commit: diff.code.commitA, path: file.oldPath ?? file.path, absent: file.status === "added" };
    const right: SnapshotFile = { commit: diff.code.commitB, path: file.path, absent: file.status === "removed" };
    await this.host.openFileDiff(left, right, `${file.path} (${baseRunId} ↔ ${runId})`);
  }

  async openRowSample(baseRunId: string, runId: string): Promise<void> {
    const diff = this.known(baseRunId, runId);
    if (diff.data.status !== "changed") throw new Error(`Run ${runId} trained on the same data as run ${baseRunId}.`);
    await this.host.openReadOnly(`changed-rows-${baseRunId}-${runId}.csv`, rowSampleCsv(diff.data), "csv");
  }

  private known(baseRunId: string, runId: string): RunDiff {
    const diff = this.diffs.get(key(baseRunId, runId));
    if (!diff) throw new Error(`Nothing is known of what changed from run ${baseRunId} to run ${runId}: open "What changed" again.`);
    return diff;
  }
}

function key(baseRunId: string, runId: string): string {
  return `${baseRunId} ${runId}`;
}
