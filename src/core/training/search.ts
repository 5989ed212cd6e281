import { paramError, problemWith, rejectUnknownKeys, resolveParams, type ParamOwner, type ParamSpecs, type RawParams } from "../components/params";
import { MlexpError } from "../util/errors";
import { isPlainObject } from "../util/json";
import type { Rng } from "../util/random";

export type SearchStrategy = "grid" | "random";

/** How to search, as the user gives it (every field optional). */
export interface SearchOptions {
  strategy?: SearchStrategy;
  /** Random search: how many combinations to sample. */
  trials?: number;
  /** Folds of cross-validation on the training part (0 or 1: a single holdout is not used; 2+). */
  cv?: number;
  /**
   * Put the trials on this queue (`redis://HOST:PORT`) for `mlexp worker`s on any machine instead
   * of scoring them in this process. Results are the same either way.
   */
  queue?: string;
  /** With a queue: the search stops once more than this many trials failed (default: no limit). */
  maxFailures?: number;
  /** With a queue: the search fails once the queue has been unreachable this many seconds (default 60). */
  queueTimeoutSeconds?: number;
  /** With a queue: the git remote (name or URL) the run's code is pushed to for the workers (default: `MLEXP_GIT_REMOTE`, else "origin"). */
  remote?: string;
}

/** The settings a run used, recorded so that a reproduction searches the same way. */
export interface SearchSettings {
  strategy: SearchStrategy;
  trials: number;
  cv: number;
}

export interface SearchAxis {
  name: string;
  values: unknown[];
}

export interface SearchSpace {
  /** Parameters with one value. */
  fixed: RawParams;
  /** Parameters with several values to try, in the order given. */
  axes: SearchAxis[];
}

export const DEFAULT_FOLDS = 3;

/**
 * Splits model parameters into fixed values and search axes: an array given for a scalar
 * parameter, or an array of arrays for an array-typed one (such as `hiddenUnits`), means "try each
 * of these". Every candidate value is validated, so a bad value fails before training starts.
 */
export function parseSearchSpace(specs: ParamSpecs, raw: unknown, owner: ParamOwner): SearchSpace {
  const given = raw === undefined || raw === null ? {} : raw;
  if (!isPlainObject(given)) throw paramError(owner, `parameters must be an object, got ${JSON.stringify(raw)}.`);
  rejectUnknownKeys(specs, given, owner);
  const fixed: RawParams = {};
  const axes: SearchAxis[] = [];
  for (const [name, value] of Object.entries(given)) {
    const values = searchValues(specs[name].type, value);
    if (!values) {
      fixed[name] = value;
      continue;
    }
    if (!values.length) throw paramError(owner, `parameter "${name}" has an empty list of values to search.`);
    for (const candidate of values) {
      const problem = problemWith(specs[name], candidate);
      if (problem) throw paramError(owner, `parameter "${name}" ${problem}, got ${JSON.stringify(candidate)} in its search values.`);
    }
    if (values.length === 1) fixed[name] = values[0];
    else axes.push({ name, values });
  }
  resolveParams(specs, fixed, owner);
  return { fixed, axes };
}

function searchValues(type: string, value: unknown): unknown[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const arrayTyped = type.endsWith("[]");
  if (!arrayTyped) return value;
  return value.length > 0 && value.every(Array.isArray) ? value : undefined;
}

export function searchSize(space: SearchSpace): number {
  return space.axes.reduce((product, axis) => product * axis.values.length, 1);
}

/** Fills in defaults and checks the search settings against the space. */
export function resolveSearchSettings(options: SearchOptions | undefined, space: SearchSpace): SearchSettings {
  const strategy = checkStrategy(options?.strategy ?? "grid");
  const size = searchSize(space);
  const trials = checkTrials(options?.trials ?? (strategy === "random" ? Math.min(10, size) : size));
  const cv = checkFolds(options?.cv ?? (size > 1 ? DEFAULT_FOLDS : 0));
  return { strategy, trials: strategy === "grid" ? size : Math.min(trials, size), cv };
}

function checkStrategy(strategy: string): SearchStrategy {
  if (strategy === "grid" || strategy === "random") return strategy;
  throw new MlexpError(`Unknown search strategy "${strategy}".`, "invalid_argument", 'Use "grid" or "random".');
}

function checkTrials(trials: number): number {
  if (Number.isInteger(trials) && trials >= 1) return trials;
  throw new MlexpError(`The number of search trials must be a whole number of at least 1, got ${trials}.`, "invalid_argument");
}

function checkFolds(cv: number): number {
  if (Number.isInteger(cv) && cv >= 0 && cv !== 1) return cv;
  throw new MlexpError(`Cross-validation folds must be 0 (none) or a whole number of at least 2, got ${cv}.`, "invalid_argument");
}

/**
 * The parameter combinations to try: every combination for a grid, or `trials` distinct ones
 * drawn with the run's seed for a random search. Order is deterministic.
 */
export function candidates(space: SearchSpace, settings: SearchSettings, rng: Rng): RawParams[] {
  const size = searchSize(space);
  const picks = settings.strategy === "grid" || settings.trials >= size ? allIndices(size) : sampleIndices(size, settings.trials, rng);
  return picks.map((pick) => combination(space, pick));
}

function allIndices(size: number): number[] {
  return Array.from({ length: size }, (_, i) => i);
}

function sampleIndices(size: number, count: number, rng: Rng): number[] {
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(rng.int(size));
  return [...chosen].sort((a, b) => a - b);
}

/** The combination at position `index` of the grid (mixed-radix, last axis fastest). */
function combination(space: SearchSpace, index: number): RawParams {
  const params: RawParams = { ...space.fixed };
  let rest = index;
  for (let a = space.axes.length - 1; a >= 0; a--) {
    const axis = space.axes[a];
    params[axis.name] = axis.values[rest % axis.values.length];
    rest = Math.floor(rest / axis.values.length);
  }
  return params;
}
