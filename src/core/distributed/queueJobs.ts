import type { Queue } from "bullmq";
import { trialJobId } from "../../protocol/queue";

/** The job ids of all of a run's trials. */
export function runJobIds(runId: string, trials: number): string[] {
  return Array.from({ length: trials }, (_, trial) => trialJobId(runId, trial));
}

/**
 * Removes these jobs from the queue, whatever their state; a job a worker is running (locked) is
 * left when `skipActive`, or when removing it fails. Returns how many are left.
 */
export async function removeJobs(queue: Queue, ids: string[], skipActive: boolean): Promise<number> {
  let left = 0;
  for (const id of ids) {
    const job = await queue.getJob(id);
    if (!job) continue;
    const state = await job.getState();
    if (state === "active") {
      left++;
      if (skipActive) continue;
    }
    try {
      await job.remove();
    } catch {
      left++;
    }
  }
  return left;
}
