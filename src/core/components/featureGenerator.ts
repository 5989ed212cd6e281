import type { Dataset } from "../data/dataset";
import type { Matrix } from "../data/matrix";
import { Component, type ComponentKind } from "./component";
import type { ParamSpecs, RawParams } from "./params";

/**
 * Turns a dataset's feature columns (every column but the target) into a numeric matrix.
 * Lifecycle: constructed with its parameters → `fit(train)` learns what it needs from the training
 * rows only (means, categories, ranges) → `transform(anyDataset)` gives a matrix with the same
 * columns for any rows → `getState()` / `setState()` save and restore what `fit` learned (JSON-serialisable).
 *
 * The target column is handled by mlexp (encoded into labels or values), never by the generator,
 * so any generator works with any data access object.
 */
export abstract class FeatureGenerator<P extends object = Record<string, unknown>> extends Component<P> {
  static override readonly kind: ComponentKind = "featureGenerator";

  abstract fit(data: Dataset): void | Promise<void>;
  abstract transform(data: Dataset): Matrix;

  /** What `fit` learned, as JSON. Stateless generators keep the default. */
  getState(): unknown {
    return null;
  }

  setState(_state: unknown): void {}
}

export interface FeatureGeneratorClass {
  new (params?: RawParams): FeatureGenerator<object>;
  readonly params: ParamSpecs;
  readonly description: string;
  readonly kind: ComponentKind;
  readonly name: string;
}
