import { resolveParams, type ParamSpecs, type RawParams } from "./params";

export type ComponentKind = "model" | "featureGenerator" | "dataAccessObject";

export const KIND_LABELS: Record<ComponentKind, string> = {
  model: "model",
  featureGenerator: "feature generator",
  dataAccessObject: "data access object",
};

const REGISTRY_NAME = Symbol("mlexp.registryName");

/**
 * The registry name of the component being constructed by `constructComponent`. Set and cleared
 * within one synchronous `new`, and taken by the first Component constructor that runs, so no
 * async work can see another's value.
 */
let nameUnderConstruction: string | undefined;

/**
 * `new cls(params)`, with the component knowing the name it is registered under: messages name it
 * as the user registered it, never by its class name (minified in a production bundle).
 */
export function constructComponent<T extends Component<object>>(cls: new (params: RawParams) => T, params: RawParams, registryName: string): T {
  const outer = nameUnderConstruction;
  nameUnderConstruction = registryName;
  try {
    return new cls(params);
  } finally {
    nameUnderConstruction = outer;
  }
}

/** The name a component is registered under (its class name when it was constructed directly). */
export function componentName(component: object): string {
  const named = (component as { [REGISTRY_NAME]?: string })[REGISTRY_NAME];
  return named ?? component.constructor.name;
}

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
    const name = nameUnderConstruction ?? ctor.name;
    // A component its constructor makes (a model holding another) is not the one being named.
    nameUnderConstruction = undefined;
    Object.defineProperty(this, REGISTRY_NAME, { value: name, enumerable: false });
    this.params = resolveParams(ctor.params, params, { kind: KIND_LABELS[ctor.kind], name }) as P;
  }
}
