import type { NoticeLevel, RunAction } from "../../protocol/compare";

export interface Notice {
  level: NoticeLevel;
  text: string;
}

/** What a run action leads to in the panel: a line to show, runs to compare as well (a reproduction). */
export interface ActionReport {
  notice?: Notice;
  compareAlso?: string[];
}

const DONE: Record<RunAction, (runId: string, value: unknown) => string> = {
  checkout: (runId, value) => `Checked out the code of run ${runId}${commitOf(value)}.`,
  worktree: (runId, value) => `The code of run ${runId} is in ${typeof value === "string" ? value : "a new worktree"}.`,
  reproduce: (runId) => `Reproduced run ${runId}.`,
  openArtifacts: () => "",
  copyRunId: (runId) => `Copied ${runId}.`,
};

function commitOf(value: unknown): string {
  const commit = (value as { commit?: unknown } | null)?.commit;
  return typeof commit === "string" ? ` (${commit.slice(0, 12)})` : "";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/**
 * What to show in the panel after a run action done through an mlexp command, from what the command
 * returned. The git commands return `{ ok, value }` or `{ ok: false, message }` (checkout refusing a
 * dirty working tree says why); Reproduce Run returns `{ status, result }`. The commands have already
 * shown a notification; `undefined` (a question cancelled, an untrusted workspace) needs no second word.
 */
export function reportForActionResult(action: RunAction, runId: string, result: unknown): ActionReport {
  if (!isRecord(result)) return {};
  if ("status" in result) return reportForOutcome(runId, result);
  if (result.ok === false) return { notice: { level: "error", text: typeof result.message === "string" ? result.message : `Could not ${action} run ${runId}.` } };
  if (result.ok !== true) return {};
  const text = DONE[action](runId, result.value);
  return text ? { notice: { level: "info", text } } : {};
}

/** A reproduction's outcome: its verdict, and its run to compare with the original. */
function reportForOutcome(runId: string, outcome: Record<string, unknown>): ActionReport {
  if (outcome.status !== "finished") {
    const text = typeof outcome.message === "string" ? outcome.message : `The reproduction of run ${runId} did not finish.`;
    return { notice: { level: outcome.status === "cancelled" ? "warning" : "error", text } };
  }
  const result = isRecord(outcome.result) ? outcome.result : {};
  const run = isRecord(result.run) ? result.run : {};
  const reproduction = typeof run.run_id === "string" ? run.run_id : undefined;
  const verdict = typeof result.verdict === "string" ? result.verdict.replace("_", " ") : "done";
  const text = `Reproduced run ${runId}${reproduction ? ` as ${reproduction}` : ""}: ${verdict}.`;
  return { notice: { level: result.verdict === "different" ? "warning" : "info", text }, ...(reproduction ? { compareAlso: [reproduction] } : {}) };
}
