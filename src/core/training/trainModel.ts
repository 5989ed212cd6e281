import * as path from "node:path";
import { constructComponent } from "../components/component";
import type { DataAccessObjectClass, LoadContext } from "../components/dataAccessObject";
import type { RawParams } from "../components/params";
import type { Registry } from "../components/registry";
import { DEFAULT_MAX_UNTRACKED_BYTES } from "../git/snapshot";
import { snapshotInBackground } from "../git/snapshotThread";
import { activeRegistry } from "../registration";
import { reproduceRun, type ReproduceOptions, type ReproductionReport } from "../reproduce/reproduce";
import type { ModelRun } from "../store/runRecord";
import { Store } from "../store/store";
import { MlexpError } from "../util/errors";
import { loadSqlJs } from "../util/sqljs";
import { prepareQueueSearch } from "../distributed/searchOnQueue";
import { executeRun, type DatasetSource } from "./executeRun";
import type { ProgressListener } from "./progress";
import { resolveRequest, type TrainRequest } from "./resolveRequest";

/** Where and how a run happens, as opposed to what it trains. */
export interface RunEnvironment {
  /** The workspace folder: where `.mlexp/` lives and relative paths resolve (default: cwd). */
  workspace?: string;
  /** Names are looked up here (default: the active registry). */
  registry?: Registry;
  onProgress?: ProgressListener;
  /** Log lines and warnings. */
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** Where runs are stored: `workspace`, a workspace folder or `postgresql://…` (default: `MLEXP_STORE`, else the workspace). */
  store?: string;
  /** Untracked files bigger than this stay out of the code snapshot (default 5 MiB). */
  maxUntrackedBytes?: number;
}

export type TrainOptions = TrainRequest & RunEnvironment;

/**
 * Trains and records a run — or, given `{ runId }`, reproduces one and says whether it matched.
 *
 * ```ts
 * await trainModel({ modelClass: getModel("ModelImpl1"), modelParams: {},
 *   featureGeneratorClass: getFeatureGenerator("FeatureGeneratorImpl1"),
 *   datasetClass: getDataAccessObject("DataAccessObjectImpl1"), datasetParams: {} });
 * await trainModel({ runId: "20261126-064801-3fa9c2d1" });
 * ```
 */
export function trainModel(options: TrainOptions): Promise<ModelRun>;
export function trainModel(options: ReproduceOptions): Promise<ReproductionReport>;
export function trainModel(options: TrainOptions | ReproduceOptions): Promise<ModelRun | ReproductionReport> {
  if ("runId" in options && options.runId !== undefined) return reproduceRun(options);
  return train(options as TrainOptions);
}

async function train(options: TrainOptions): Promise<ModelRun> {
  if (!options || typeof options !== "object") {
    throw new MlexpError("trainModel needs an object such as { modelClass, datasetClass } or { runId }.", "invalid_argument");
  }
  const workspace = path.resolve(options.workspace ?? process.cwd());
  const request = resolveRequest(options, options.registry ?? activeRegistry());
  const search = options.search;
  // Checked before anything is recorded: a queue that does not answer is an error, not a failed run.
  const trialRunner = search?.queue
    ? await prepareQueueSearch({ workspace, search: { ...search, queue: search.queue }, request, signal: options.signal, onProgress: options.onProgress, log: options.log })
    : undefined;
  const store = Store.open(workspace, { store: options.store });
  // The workspace database's engine (sql.js, WebAssembly) compiles while git takes the code snapshot.
  if (store.runs.kind === "workspace") loadSqlJs().catch(() => undefined);
  return executeRun(request, {
    trialRunner,
    store,
    hooks: { onProgress: options.onProgress, log: options.log, signal: options.signal },
    code: (runId) => snapshotInBackground(workspace, runId, options.maxUntrackedBytes ?? DEFAULT_MAX_UNTRACKED_BYTES),
    source: daoSource(request.datasetClass, request.datasetName, request.datasetParams, workspace, request.seed),
  });
}

/** Loads through the data access object, with paths relative to the workspace. */
export function daoSource(cls: DataAccessObjectClass, name: string, params: RawParams, workspace: string, seed: number): DatasetSource {
  return {
    load: async (signal) => {
      const dao = constructComponent(cls, params, name);
      const context: LoadContext = {
        workspace,
        seed,
        signal,
        resolvePath: (file) => path.resolve(workspace, file),
      };
      return dao.load(context);
    },
  };
}
