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
import { builtinSourceIdentity } from "../builtins/datasets/sourceIdentity";
import type { SourceIdentity } from "../objects/sourceIndex";
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
    source: daoSource(request.datasetClass, request.datasetName, request.datasetParams, workspace, request.seed, true),
  });
}

/**
 * Loads through the data access object, with paths relative to the workspace. With `identified`,
 * a built-in loader's inputs are named (see builtinSourceIdentity) so that data the store already
 * holds is not stored again. Reproductions with --fresh-data leave it out: loading fresh data is
 * also how a damaged stored copy is written again, which needs the full store.
 */
export function daoSource(cls: DataAccessObjectClass, name: string, params: RawParams, workspace: string, seed: number, identified = false): DatasetSource {
  const resolvePath = (file: string) => path.resolve(workspace, file);
  return {
    load: async (signal) => {
      const dao = constructComponent(cls, params, name);
      const context: LoadContext = { workspace, seed, signal, resolvePath };
      return dao.load(context);
    },
    identity: identified ? identityOf(cls, params, name, resolvePath) : undefined,
  };
}

/** Bad parameters give no identity here: `load` reports them, as part of the run. */
function identityOf(cls: DataAccessObjectClass, params: RawParams, name: string, resolvePath: (file: string) => string): SourceIdentity | undefined {
  try {
    return builtinSourceIdentity(cls, constructComponent(cls, params, name), resolvePath);
  } catch {
    return undefined;
  }
}
