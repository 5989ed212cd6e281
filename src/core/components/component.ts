import { resolveParams, type ParamSpecs, type RawParams } from "./params";

export type ComponentKind = "model" | "featureGenerator" | "dataAccessObject";

export const KIND_LABELS: Record<ComponentKind, string> = {
  model: "model",
  featureGenerator: "feature generator",
  dataAccessObject: "data access object",
};

/**
 * What models, feature generators and data access objects share: declared parameters, validated
 * and completed with defaults when the component is constructed.
 */
export abstract class Component<P extends object = Record<string, unknown>> {
  /** Parameters with their types and defaults; subclasses override. */
  static readonly params: ParamSpecs = {};
  /** One line shown in listings, tooltips and hovers. */
  static readonly description: string = "";
  static readonly kind: ComponentKind;

  readonly params: P;

  constructor(params: RawParams = {}) {
    const ctor = this.constructor as typeof Component & { kind: ComponentKind };
    this.params = resolveParams(ctor.params, params, {
      kind: KIND_LABELS[ctor.kind],
      name: ctor.name,
    }) as P;
  }
}
