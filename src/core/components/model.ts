import type { Matrix } from "../data/matrix";
import type { Rng } from "../util/random";
import { Component, type ComponentKind } from "./component";
import type { ParamSpecs, RawParams } from "./params";

export type Task = "classification" | "regression";

/** What `fit` gets besides the data. */
export interface FitContext {
  readonly task: Task;
  /** Number of classes for classification (labels are 0 … classes-1), 0 for regression. */
  readonly classes: number;
  /** The run's seed; use `rng` (or derive library seeds from it) for every random choice. */
  readonly seed: number;
  readonly rng: Rng;
  readonly signal?: AbortSignal;
  /** Report one epoch's figures (e.g. `{ loss }`): they become the learning curve and progress. */
  onEpoch(epoch: number, metrics: Record<string, number>): void;
  log(message: string): void;
}

/**
 * A learning algorithm. Lifecycle: constructed with its parameters → `fit(X, y, context)` on a
 * feature matrix → `predict(X)` (class indices for classifiers, values for regressors) and, for
 * classifiers, `predictProba(X)` (one column per class) → `save(dir)`; a fresh instance with the
 * same parameters reads itself back with `load(dir)`.
 *
 * Use the context's seeded generator for every random choice: the same data and seed must give
 * bit-identical predictions in a fresh process.
 */
export abstract class Model<P extends object = Record<string, unknown>> extends Component<P> {
  static override readonly kind: ComponentKind = "model";
  static readonly task: Task = "classification";

  abstract fit(X: Matrix, y: Float64Array, context: FitContext): void | Promise<void>;
  abstract predict(X: Matrix): Float64Array | Promise<Float64Array>;
  /** Class probabilities, one row per sample and one column per class (classifiers only). */
  predictProba?(X: Matrix): Matrix | Promise<Matrix>;
  abstract save(dir: string): void | Promise<void>;
  abstract load(dir: string): void | Promise<void>;
  /**
   * Parameters the model settled itself while fitting (an automatic number of epochs, say): they are
   * recorded with the run's hyperparameters, so the record says what was really used.
   */
  effectiveParams?(): Record<string, unknown>;
  /** Frees resources that outlive the object (tensors); called once the run is done with it. */
  dispose?(): void;
}

/** A model class as the registry and `trainModel` handle it. */
export interface ModelClass {
  new (params?: RawParams): Model<object>;
  readonly prototype: Model<object>;
  readonly params: ParamSpecs;
  readonly task: Task;
  readonly description: string;
  readonly kind: ComponentKind;
  readonly name: string;
}
