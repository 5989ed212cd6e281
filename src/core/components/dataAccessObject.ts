import type { Dataset } from "../data/dataset";
import { Component, type ComponentKind } from "./component";
import type { ParamSpecs, RawParams } from "./params";

export interface LoadContext {
  /** The workspace folder: relative paths in parameters resolve against it. */
  readonly workspace: string;
  readonly seed: number;
  readonly signal?: AbortSignal;
  /** `path` resolved against the workspace (absolute paths are kept). */
  resolvePath(path: string): string;
}

/**
 * Loads a dataset from wherever it lives. Lifecycle: constructed with its parameters (a path, a
 * query, a size…) → `load(context)` returns a `Dataset` naming its target column. mlexp stores what
 * `load` returned, so a run can be reproduced after the source has changed.
 */
export abstract class DataAccessObject<P extends object = Record<string, unknown>> extends Component<P> {
  static override readonly kind: ComponentKind = "dataAccessObject";

  abstract load(context: LoadContext): Dataset | Promise<Dataset>;
}

export interface DataAccessObjectClass {
  new (params?: RawParams): DataAccessObject<object>;
  readonly params: ParamSpecs;
  readonly description: string;
  readonly kind: ComponentKind;
  readonly name: string;
}
