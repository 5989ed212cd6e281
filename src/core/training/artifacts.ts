import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { replaceAtomically, syncFolder, syncTree } from "../store/atomicFile";
import type { MetricPoint, ModelRun, SearchTrial } from "../store/runRecord";
import type { FittedPipeline } from "./pipeline";

/** The manifest from which a run's database rows can be rebuilt. */
export interface RunManifest {
  run: ModelRun;
  history: MetricPoint[];
  trials: SearchTrial[];
}

export const MANIFEST_FILE = "run.json";

/**
 * A finished run's folder: the model (as the model saves itself), the fitted feature generator's
 * state, the target's classes, parameters and metrics as JSON.
 *
 * What must be on disk before run.json (fsynced) and the database say the run is finished: the
 * model, features.json and target.json — using the run (predict, push, serve) needs them, and only
 * training again could make them. They are flushed (the model's files whatever wrote them, the two
 * JSON files through replaceAtomically) with their folders' entries. params.json and metrics.json
 * repeat what run.json holds (the run's parameters and metrics, the history and trials): a crash
 * that cuts them short loses nothing, so they are written without the cost of a flush.
 */
export async function saveFittedArtifacts(dir: string, fitted: FittedPipeline, run: ModelRun): Promise<void> {
  const modelDir = path.join(dir, "model");
  fs.mkdirSync(modelDir, { recursive: true });
  await fitted.model.save(modelDir);
  syncTree(modelDir);
  writeDurableJson(path.join(dir, "features.json"), {
    class: run.feature_generator_class,
    params: run.feature_generator_params,
    state: fitted.featureGenerator.getState(),
  });
  writeDurableJson(path.join(dir, "target.json"), { task: fitted.task, classes: fitted.classes });
  writeJson(path.join(dir, "params.json"), {
    model_class: run.model_class,
    hyperparameters: fitted.hyperparameters,
    model_params: run.model_params,
    feature_generator_params: run.feature_generator_params,
    dataset_params: run.dataset_params,
    seed: run.seed,
    metric: run.metric,
    search: run.search,
    test_fraction: run.test_fraction,
  });
  writeJson(path.join(dir, "metrics.json"), { metrics: fitted.metrics, history: fitted.history, trials: fitted.trials });
  // The names of model/, features.json and target.json in the run folder.
  syncFolder(dir);
}

export function writeManifest(dir: string, manifest: RunManifest): void {
  fs.mkdirSync(dir, { recursive: true });
  // Replaced whole: a write cut short (full disk, kill) must not leave half a manifest.
  replaceAtomically(path.join(dir, MANIFEST_FILE), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  fs.rmSync(path.join(dir, PENDING_FILE), { force: true });
}

/** Says which process is starting a run, until its run.json exists: see `mlexp gc`. */
const PENDING_FILE = "starting.json";

export function writePendingMark(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  writeJson(path.join(dir, PENDING_FILE), { pid: process.pid, host: os.hostname() });
}

export function readPendingMark(dir: string): { pid: number; host: string } | undefined {
  try {
    const mark = JSON.parse(fs.readFileSync(path.join(dir, PENDING_FILE), "utf8")) as { pid: number; host: string };
    return typeof mark.pid === "number" && typeof mark.host === "string" ? mark : undefined;
  } catch {
    return undefined;
  }
}

export function readManifest(dir: string): RunManifest {
  return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), "utf8")) as RunManifest;
}

function writeDurableJson(file: string, value: unknown): void {
  replaceAtomically(file, Buffer.from(`${JSON.stringify(value, null, 2)}\n`));
}

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
