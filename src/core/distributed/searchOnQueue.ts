import { requireRepositoryTop } from "../git/git";
import { pushRunRef, remoteUrl } from "../git/remote";
import { runRef } from "../git/snapshot";
import type { SearchSetup } from "../training/executeRun";
import type { TrialRunner } from "../training/pipeline";
import type { ProgressListener } from "../training/progress";
import type { ResolvedRequest } from "../training/resolveRequest";
import type { SearchOptions } from "../training/search";
import { MlexpError } from "../util/errors";
import type { TrialRequest } from "../../protocol/queue";
import { distributedTrials } from "./coordinator";
import { identityOf } from "./datasetStore";
import { copyDataset } from "../objects/transfer";
import { checkQueueReachable, parseQueueUrl } from "./redis";

export interface QueueSearchOptions {
  workspace: string;
  search: SearchOptions & { queue: string };
  request: ResolvedRequest;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  log?: (line: string) => void;
}

/**
 * Checks everything a distributed search needs before a run is recorded — the queue answers, the
 * workspace is in git and has the remote — and returns the runner that, once the run has started,
 * pushes its code to the remote and puts its trials on the queue.
 */
export async function prepareQueueSearch(options: QueueSearchOptions): Promise<(setup: SearchSetup) => TrialRunner> {
  const address = parseQueueUrl(options.search.queue);
  checkMaxFailures(options.search.maxFailures);
  checkQueueTimeout(options.search.queueTimeoutSeconds);
  const top = await requireRepositoryTop(options.workspace, "workers on other machines could not get the run's code");
  const remote = await remoteUrl(top, options.search.remote ?? (process.env.MLEXP_GIT_REMOTE || "origin"));
  await checkQueueReachable(address);
  return (setup) => async (candidates, inProcess) => {
    if (!setup.code) throw new MlexpError("A distributed search needs the run's code snapshot.", "not_git");
    await pushRunRef(top, remote, setup.runId);
    const datasetHash = await setup.datasetHash();
    // A team store: the workers read the dataset there, so it goes there before the first trial.
    if (setup.store.objects !== setup.store.localObjects) await copyDataset(datasetHash, setup.store.localObjects, setup.store.objects);
    const runner = distributedTrials({
      queue: options.search.queue,
      runId: setup.runId,
      code: { remote, ref: runRef(setup.runId), commit: setup.code.commit, workspacePath: setup.code.workspacePath },
      storeId: await identityOf(setup.store.location),
      datasetHash,
      request: trialRequest(options.request),
      maxFailures: options.search.maxFailures,
      unreachableLimitSeconds: options.search.queueTimeoutSeconds,
      signal: options.signal,
      onProgress: options.onProgress && ((progress) => options.onProgress?.({ ...progress, runId: setup.runId })),
      log: options.log,
      onTrial: (trial) => setup.store.recordTrials(setup.runId, [trial]),
    });
    return runner(candidates, inProcess);
  };
}

function checkMaxFailures(value: number | undefined): void {
  if (value === undefined || (Number.isInteger(value) && value >= 0)) return;
  throw new MlexpError(`--max-failures must be a whole number of at least 0, got ${value}.`, "invalid_argument");
}

function checkQueueTimeout(value: number | undefined): void {
  if (value === undefined || (Number.isFinite(value) && value > 0)) return;
  throw new MlexpError(`--queue-timeout must be a number of seconds above 0, got ${value}.`, "invalid_argument");
}

function trialRequest(request: ResolvedRequest): TrialRequest {
  return {
    model: request.modelName,
    modelParams: request.modelParams,
    featureGenerator: request.featureGeneratorName,
    featureGeneratorParams: request.featureGeneratorParams,
    dataset: request.datasetName,
    datasetParams: request.datasetParams,
    seed: request.seed,
    metric: request.metric,
    search: request.search,
    testFraction: request.testFraction,
  };
}
