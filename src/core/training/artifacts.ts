import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { replaceAtomically } from "../store/database";
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
 */
export async function saveFittedArtifacts(dir: string, fitted: FittedPipeline, run: ModelRun): Promise<void> {
  const modelDir = path.join(dir, "model");
  fs.mkdirSync(modelDir, { recursive: true });
  await fitted.model.save(modelDir);
  writeJson(path.join(dir, "features.json"), {
    class: run.feature_generator_class,
    params: run.feature_generator_params,
    state: fitted.featureGenerator.getState(),
  });
  writeJson(path.join(dir, "target.json"), { task: fitted.task, classes: fitted.classes });
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
}

export function writeManifest(dir: string, manifest: RunManifest): void {
  fs.mkdirSync(dir, { recursive: true });
  // Replaced whole: a write cut short (full disk, kill) must not leave half a manifest.
  replaceAtomically(path.join(dir, MANIFEST_FILE), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  fs.rmSync(path.join(dir, PENDING_FILE), { force: true });
}

/** Says which process is starting a run, until its run.json exists: see `mlexp gc`. */
const PENDING_FILE = "starting.json";

/**
 * Makes the run's folder with its mark already in it: the folder is filled under a hidden name and
 * renamed into place, so that no one (a `db rebuild`, a `gc`) ever sees it without its mark, which
 * they would take for a run stopped before it began (found under load by the rebuild test).
 */
export function writePendingMark(dir: string): void {
  const mark = { pid: process.pid, host: os.hostname() };
  const temp = path.join(path.dirname(dir), `.${path.basename(dir)}.${process.pid}.tmp`);
  fs.mkdirSync(temp, { recursive: true });
  writeJson(path.join(temp, PENDING_FILE), mark);
  try {
    fs.renameSync(temp, dir);
  } catch {
    // The folder exists already (it is never expected to: run ids are new): mark it where it is.
    fs.rmSync(temp, { recursive: true, force: true });
    writeJson(path.join(dir, PENDING_FILE), mark);
  }
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

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
