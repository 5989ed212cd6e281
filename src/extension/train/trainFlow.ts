import type { ComponentKind } from "../../core/components/component";
import { paramsProblem } from "../../core/components/paramsCheck";
import type { ComponentDescription } from "../../core/workspace/describe";
import type { JsonParams, TrainRequestMessage } from "../../protocol/training";

// "Train Model…" as a state machine without any UI: which step comes next, what each quick pick
// lists, what the parameter box is prefilled with and how its text is checked, and the request it
// all adds up to. src/extension/train/trainFlowUi.ts shows the steps with VS Code's quick input.

export const KINDS: readonly ComponentKind[] = ["model", "featureGenerator", "dataAccessObject"];

export const KIND_TITLES: Record<ComponentKind, string> = {
  model: "Model",
  featureGenerator: "Feature generator",
  dataAccessObject: "Data access object",
};

/** Everything "Train Model…" can be given up front (a tree item, a CodeLens, a test). */
export interface TrainPreset {
  model?: string;
  featureGenerator?: string;
  dataset?: string;
  modelParams?: JsonParams;
  featureGeneratorParams?: JsonParams;
  datasetParams?: JsonParams;
}

/**
 * Arguments of Train Model / Train This Model: a preset, with `ask: false` to start without
 * questions, and `parameters: "last"` (the CodeLens's ▶ Train) to ask only for the components and
 * take the parameters of the last finished run of that combination, or the defaults.
 */
export type TrainArgs = TrainPreset & { ask?: boolean; parameters?: ParametersSource };

/** "ask": a JSON box per component (prefilled); "last": none, unless a required parameter has no value. */
export type ParametersSource = "ask" | "last";

/** The parameters a finished run of a combination was given, as its row records them. */
export interface CombinationParams {
  modelParams: JsonParams;
  featureGeneratorParams: JsonParams;
  datasetParams: JsonParams;
}

/** Finds the parameters of the latest finished run of model × feature generator × data access object. */
export type LastParamsLookup = (model: string, featureGenerator: string, dataset: string) => CombinationParams | undefined;

export interface FlowOptions {
  parameters?: ParametersSource;
  lastParams?: LastParamsLookup;
}

/**
 * What the train commands can be given: a Components tree node (Train This Model on a model, a
 * feature generator or a DAO), a model name, or a preset object (a CodeLens, a test).
 */
export function trainArgsFrom(arg: unknown): TrainArgs {
  if (typeof arg === "string") return { model: arg };
  if (typeof arg !== "object" || arg === null) return {};
  const node = arg as { kind?: unknown; component?: ComponentDescription };
  if (node.kind === "component" && node.component) {
    const { component } = node;
    if (component.kind === "model") return { model: component.name };
    if (component.kind === "featureGenerator") return { featureGenerator: component.name };
    return { dataset: component.name };
  }
  return arg as TrainArgs;
}

/**
 * The Components view's Train This Model ("last": the two other components, then the parameters of
 * the combination's last run or the defaults, as the lens's ▶ Train) and Train with Parameters…
 * ("ask": the long flow with a parameter box per component).
 */
export function treeItemTrainArgs(arg: unknown, parameters: ParametersSource): TrainArgs {
  return { ...trainArgsFrom(arg), parameters };
}

/** `ask: false`: the request is the preset as it is (the library fills in the feature generator and defaults); undefined without a model and a DAO. */
export function presetRequest(args: TrainArgs): TrainRequestMessage | undefined {
  const { model, dataset, featureGenerator, modelParams, featureGeneratorParams, datasetParams } = args;
  if (!model || !dataset) return undefined;
  return {
    model,
    dataset,
    ...(featureGenerator !== undefined ? { featureGenerator } : {}),
    ...(modelParams !== undefined ? { modelParams } : {}),
    ...(featureGeneratorParams !== undefined ? { featureGeneratorParams } : {}),
    ...(datasetParams !== undefined ? { datasetParams } : {}),
  };
}

/** What the flow remembers per workspace: the last names, and the last parameters per component. */
export interface RememberedChoices {
  model?: string;
  featureGenerator?: string;
  dataset?: string;
  /** Keyed by `<kind>:<name>`. */
  params?: Record<string, JsonParams>;
}

export type FlowStep = { kind: "pick"; componentKind: ComponentKind } | { kind: "params"; componentKind: ComponentKind; component: ComponentDescription };

export interface PickItem {
  label: string;
  description: string;
  detail?: string;
}

const NAME_FIELD = { model: "model", featureGenerator: "featureGenerator", dataAccessObject: "dataset" } as const;
const PARAMS_FIELD = { model: "modelParams", featureGenerator: "featureGeneratorParams", dataAccessObject: "datasetParams" } as const;

export class TrainFlow {
  private readonly names: Partial<Record<ComponentKind, string>> = {};
  private readonly params: Partial<Record<ComponentKind, JsonParams>> = {};
  private stepsTaken = 0;
  private readonly quick: boolean;

  constructor(
    private readonly components: readonly ComponentDescription[],
    private readonly remembered: RememberedChoices,
    preset: TrainPreset = {},
    private readonly options: FlowOptions = {},
  ) {
    this.quick = options.parameters === "last";
    for (const kind of KINDS) {
      const name = preset[NAME_FIELD[kind]];
      if (name !== undefined) this.names[kind] = name;
      const params = preset[PARAMS_FIELD[kind]];
      if (params !== undefined) this.params[kind] = params;
    }
  }

  /** The next question to ask, or undefined when the request is complete. */
  nextStep(): FlowStep | undefined {
    const unpicked = KINDS.find((kind) => this.names[kind] === undefined);
    if (unpicked) return { kind: "pick", componentKind: unpicked };
    if (this.quick) this.takeLastParams();
    for (const kind of KINDS) {
      const component = this.component(kind);
      if (this.params[kind] === undefined && component && this.needsParamsStep(component)) return { kind: "params", componentKind: kind, component };
    }
    return undefined;
  }

  /** "Train Model (2/5)": steps taken so far against an estimate that is exact once everything is picked. */
  title(): string {
    const remainingPicks = KINDS.filter((kind) => this.names[kind] === undefined).length;
    const remainingParams = KINDS.filter((kind) => {
      if (this.params[kind] !== undefined) return false;
      const component = this.component(kind);
      return component ? this.needsParamsStep(component) : this.names[kind] === undefined && !this.quick;
    }).length;
    const total = this.stepsTaken + remainingPicks + remainingParams;
    const what = this.quick && this.names.model ? `Train ${this.names.model}` : "Train Model";
    return `${what} (${Math.min(this.stepsTaken + 1, total)}/${total})`;
  }

  /** Quick mode asks for a component's parameters only when one of them is required and has no value. */
  private needsParamsStep(component: ComponentDescription): boolean {
    if (!this.quick) return component.params.length > 0;
    return component.params.some((param) => param.required);
  }

  /** Quick mode: the combination's last finished run gives every parameter it had (else the library's defaults apply). */
  private takeLastParams(): void {
    const { model, featureGenerator, dataAccessObject } = this.names;
    if (model === undefined || featureGenerator === undefined || dataAccessObject === undefined) return;
    const last = this.options.lastParams?.(model, featureGenerator, dataAccessObject);
    const given: Record<ComponentKind, JsonParams | undefined> = {
      model: last?.modelParams,
      featureGenerator: last?.featureGeneratorParams,
      dataAccessObject: last?.datasetParams,
    };
    for (const kind of KINDS) {
      const component = this.component(kind);
      if (this.params[kind] !== undefined || !component) continue;
      const values = given[kind];
      // Values that the component would no longer accept (it changed since) are not reused.
      if (values && paramsProblem(kind, component.name, component.params, values) === undefined) this.params[kind] = values;
      else if (!component.params.some((param) => param.required)) this.params[kind] = {};
    }
  }

  /** The components of a kind, last used first, then the workspace's own, then built-ins. */
  pickItems(kind: ComponentKind): PickItem[] {
    const last = this.remembered[NAME_FIELD[kind]];
    const ofKind = this.components.filter((c) => c.kind === kind);
    const sorted = [...ofKind].sort((a, b) => rank(a, last) - rank(b, last));
    return sorted.map((c) => ({
      label: c.name,
      description: [c.builtin ? "built-in" : "workspace", c.task, c.name === last ? "last used" : ""].filter(Boolean).join(" · "),
      ...(c.description ? { detail: c.description } : {}),
    }));
  }

  choose(kind: ComponentKind, name: string): void {
    this.names[kind] = name;
    this.stepsTaken++;
  }

  /**
   * The parameter box's initial text: the defaults, overlaid with what the last finished run of
   * this combination was given, or else with what this component was last given.
   */
  paramsPrefill(component: ComponentDescription): string {
    const last = this.lastRunParams(component.kind) ?? this.remembered.params?.[paramsKey(component)] ?? {};
    const known = new Set(component.params.map((p) => p.name));
    const values: JsonParams = {};
    for (const param of component.params) if (param.default !== undefined) values[param.name] = param.default;
    for (const [name, value] of Object.entries(last)) if (known.has(name)) values[name] = value;
    return formatParams(values);
  }

  /** The prompt under the parameter box: what the component takes. */
  paramsPrompt(component: ComponentDescription): string {
    const required = component.params.filter((p) => p.required).map((p) => `${p.name} (${p.type})`);
    const optional = component.params.filter((p) => !p.required).map((p) => p.name);
    const parts = [`Parameters of ${component.name} as JSON.`];
    if (required.length) parts.push(`Required: ${required.join(", ")}.`);
    if (optional.length) parts.push(`Optional: ${optional.join(", ")}.`);
    if (component.kind === "model") parts.push("A list of values searches over them, e.g. [0.1, 0.01].");
    return parts.join(" ");
  }

  private lastRunParams(kind: ComponentKind): JsonParams | undefined {
    const { model, featureGenerator, dataAccessObject } = this.names;
    if (model === undefined || featureGenerator === undefined || dataAccessObject === undefined) return undefined;
    const last = this.options.lastParams?.(model, featureGenerator, dataAccessObject);
    if (!last) return undefined;
    return kind === "model" ? last.modelParams : kind === "featureGenerator" ? last.featureGeneratorParams : last.datasetParams;
  }

  setParams(kind: ComponentKind, params: JsonParams): void {
    this.params[kind] = params;
    this.stepsTaken++;
  }

  component(kind: ComponentKind): ComponentDescription | undefined {
    const name = this.names[kind];
    return this.components.find((c) => c.kind === kind && c.name === name);
  }

  /** The request for the training process; names that are unknown are passed on for the library to reject with a suggestion. */
  request(): TrainRequestMessage {
    const model = this.names.model;
    const dataset = this.names.dataAccessObject;
    if (model === undefined || dataset === undefined) throw new Error("Train Model: a model and a data access object must be chosen first.");
    return {
      model,
      dataset,
      ...(this.names.featureGenerator !== undefined ? { featureGenerator: this.names.featureGenerator } : {}),
      ...(this.params.model ? { modelParams: this.params.model } : {}),
      ...(this.params.featureGenerator ? { featureGeneratorParams: this.params.featureGenerator } : {}),
      ...(this.params.dataAccessObject ? { datasetParams: this.params.dataAccessObject } : {}),
    };
  }

  /** What to remember for next time, merged into what was remembered before. */
  remember(): RememberedChoices {
    const params = { ...(this.remembered.params ?? {}) };
    for (const kind of KINDS) {
      const component = this.component(kind);
      const given = this.params[kind];
      if (component && given) params[paramsKey(component)] = given;
    }
    return {
      model: this.names.model ?? this.remembered.model,
      featureGenerator: this.names.featureGenerator ?? this.remembered.featureGenerator,
      dataset: this.names.dataAccessObject ?? this.remembered.dataset,
      params,
    };
  }
}

function rank(component: ComponentDescription, last: string | undefined): number {
  if (component.name === last) return 0;
  return component.builtin ? 2 : 1;
}

function paramsKey(component: ComponentDescription): string {
  return `${component.kind}:${component.name}`;
}

/** `{"shrinkage": 0.1, "temperature": 1}`: one line, as an input box shows it, but readable. */
export function formatParams(values: JsonParams): string {
  const entries = Object.entries(values).map(([name, value]) => `${JSON.stringify(name)}: ${JSON.stringify(value)}`);
  return `{${entries.join(", ")}}`;
}

export type ParamsCheck = { ok: true; params: JsonParams } | { ok: false; problem: string };

/**
 * Checks the parameter text as it is typed, with the library's rules and messages: valid JSON, an
 * object, only parameters the component has (with the closest name), the required ones present,
 * each value of the right type, range and choices (for a model, every value of a search list).
 */
export function checkParamsText(text: string, component: ComponentDescription): ParamsCheck {
  const trimmed = text.trim();
  let value: unknown = {};
  if (trimmed) {
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      return { ok: false, problem: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, problem: 'Give an object such as {"name": value}.' };
  }
  const problem = paramsProblem(component.kind, component.name, component.params, value);
  return problem ? { ok: false, problem } : { ok: true, params: value as JsonParams };
}
