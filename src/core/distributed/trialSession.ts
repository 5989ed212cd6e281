import type { RawParams } from "../components/params";
import type { Registry } from "../components/registry";
import type { Dataset } from "../data/dataset";
import { pipelineSpec } from "../training/executeRun";
import { resolveRequest } from "../training/resolveRequest";
import type { Split } from "../training/split";
import { prepareData, scoreTrial, validationFolds, type PipelineSpec, type PreparedData } from "../training/trial";
import { loadWorkspace } from "../workspace/loadWorkspace";
import type { TrialRequest } from "../../protocol/queue";
import type { TrialTask } from "../../protocol/trialProcess";
import { cachedDataset, openDatasetStore } from "./datasetStore";

export interface TrialOutcome {
  trial: number;
  score: number;
  foldScores: number[];
}

interface Prepared {
  key: string;
  spec: PipelineSpec;
  data: PreparedData;
  folds: Split[];
}

/**
 * Runs trials in a trial process, one at a time, with exactly the in-process search's code
 * (prepareData, validationFolds, scoreTrial). It keeps the last run's code, data and split, since
 * a worker usually gets many trials of the same run in a row.
 */
export class TrialSession {
  private registry?: { codeDir: string; loaded: Promise<Registry> };
  private dataset?: { hash: string; data: Dataset };
  private prepared?: Prepared;

  async run(task: TrialTask, onFold: (fold: number, folds: number) => void): Promise<TrialOutcome> {
    const prepared = await this.prepare(task);
    const trial = await scoreTrial(prepared.data, prepared.spec, task.params as RawParams, task.trial, task.trials, prepared.folds, {
      onProgress: (progress) => {
        if (progress.fold !== undefined && progress.folds !== undefined) onFold(progress.fold, progress.folds);
      },
    });
    return { trial: task.trial, score: trial.score, foldScores: trial.fold_scores };
  }

  private async prepare(task: TrialTask): Promise<Prepared> {
    const key = JSON.stringify([task.codeDir, task.datasetHash, task.request]);
    if (this.prepared?.key === key) return this.prepared;
    const registry = await this.registryFor(task.codeDir);
    const spec = pipelineSpec(resolveRequest(requestOf(task.request), registry));
    const data = prepareData(await this.datasetFor(task), spec);
    this.prepared = { key, spec, data, folds: validationFolds(data, spec) };
    return this.prepared;
  }

  private registryFor(codeDir: string): Promise<Registry> {
    if (this.registry?.codeDir !== codeDir) {
      this.registry = { codeDir, loaded: loadWorkspace(codeDir).then((loaded) => loaded.registry) };
    }
    return this.registry.loaded;
  }

  private async datasetFor(task: TrialTask): Promise<Dataset> {
    if (this.dataset?.hash !== task.datasetHash) {
      this.dataset = undefined;
      this.dataset = { hash: task.datasetHash, data: await cachedDataset(task.datasetCache, task.datasetHash, () => openDatasetStore(task.store)) };
    }
    return this.dataset.data;
  }
}

function requestOf(request: TrialRequest) {
  return {
    modelClass: request.model,
    modelParams: request.modelParams as RawParams,
    featureGeneratorClass: request.featureGenerator,
    featureGeneratorParams: request.featureGeneratorParams as RawParams,
    datasetClass: request.dataset,
    datasetParams: request.datasetParams as RawParams,
    seed: request.seed,
    metric: request.metric,
    search: request.search,
    testFraction: request.testFraction,
  };
}
