import type { DescribeJob, DescribeResult } from "../../protocol/training";
import { JobProcess, type JobListeners, type LaunchWorker } from "../training/trainingProcess";
import type { ComponentSource } from "./componentCatalog";

/**
 * Lists components by asking a training process to load the workspace (esbuild-bundling its
 * mlexp.config.ts) and describe its registry: the extension host itself never evaluates user
 * code nor loads the built-in models.
 */
export class WorkerComponentSource implements ComponentSource {
  constructor(
    private readonly workspace: () => string | undefined,
    private readonly launcher: (workspace: string) => LaunchWorker,
    private readonly listeners: JobListeners = {},
  ) {}

  async describe(loadUserCode: boolean): Promise<DescribeResult> {
    const workspace = this.workspace();
    if (!workspace) return { kind: "describe", components: [] };
    const job: DescribeJob = { kind: "describe", workspace, loadUserCode };
    // Nothing to cancel: a describe takes a second or two, and its result is simply superseded.
    return new JobProcess(job, this.launcher(workspace), { ...this.listeners, cancelTimeoutMs: 0 }).result;
  }
}
