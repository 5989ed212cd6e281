import * as ts from "typescript";
import type { ComponentKind } from "../../core/components/component";
import type {
  ConstFact,
  ImportFact,
  LookupFact,
  ParamKeysFact,
  RegistrationFact,
  RegistrationFunction,
  StringFact,
  TrainCallFact,
  TrainChoice,
} from "./facts";
import { nameRef, propertyName, spanOf, stringFact, unwrap } from "./literals";

const LOOKUPS: Readonly<Record<string, ComponentKind>> = {
  getModel: "model",
  getFeatureGenerator: "featureGenerator",
  getDataAccessObject: "dataAccessObject",
};

const REGISTRATIONS: Readonly<Record<RegistrationFunction, ComponentKind | undefined>> = {
  registerModel: "model",
  registerFeatureGenerator: "featureGenerator",
  registerDataAccessObject: "dataAccessObject",
  register: undefined,
};

/** The `trainModel({...})` keys that name each kind of component and carry its parameters. */
export const TRAIN_KEYS: Readonly<Record<ComponentKind, { readonly cls: string; readonly params: string }>> = {
  model: { cls: "modelClass", params: "modelParams" },
  featureGenerator: { cls: "featureGeneratorClass", params: "featureGeneratorParams" },
  dataAccessObject: { cls: "datasetClass", params: "datasetParams" },
};

export interface CallFacts {
  registrations: RegistrationFact[];
  lookups: LookupFact[];
  trainCalls: TrainCallFact[];
}

interface ParseContext {
  readonly file: ts.SourceFile;
  readonly imports: ReadonlyMap<string, ImportFact>;
  readonly constants: ReadonlyMap<string, ConstFact>;
  /** Top-level names declared in the file: a local `register()` is not mlexp's. */
  readonly locals: ReadonlySet<string>;
}

/** Every registration, lookup and `trainModel` call anywhere in the file. */
export function collectCalls(context: ParseContext): CallFacts {
  const facts: CallFacts = { registrations: [], lookups: [], trainCalls: [] };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) addCall(node, context, facts);
    ts.forEachChild(node, visit);
  };
  visit(context.file);
  return facts;
}

function addCall(call: ts.CallExpression, context: ParseContext, facts: CallFacts): void {
  const callee = mlexpFunction(call.expression, context);
  if (!callee) return;
  if (Object.hasOwn(LOOKUPS, callee)) {
    const name = call.arguments[0] && nameString(call.arguments[0], context);
    if (name) facts.lookups.push({ kind: LOOKUPS[callee], name });
  } else if (Object.hasOwn(REGISTRATIONS, callee)) {
    facts.registrations.push(registration(call, callee as RegistrationFunction, context));
  } else if (callee === "trainModel") {
    const train = trainCall(call, context, facts);
    if (train) facts.trainCalls.push(train);
  }
}

/**
 * The mlexp function a callee stands for: `getModel`, an alias imported under another name, or
 * `mlexp.getModel` through a namespace import. Names imported from any module count, so that a
 * project's own module re-exporting mlexp works too.
 */
function mlexpFunction(callee: ts.Expression, context: ParseContext): string | undefined {
  if (ts.isIdentifier(callee)) {
    const imported = context.imports.get(callee.text);
    if (imported) return imported.imported;
    return context.locals.has(callee.text) ? undefined : callee.text;
  }
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
    return context.imports.get(callee.expression.text)?.imported === "*" ? callee.name.text : undefined;
  }
  return undefined;
}

/** A name given as a string literal, or as a constant of this file holding one. */
function nameString(node: ts.Expression, context: ParseContext): StringFact | undefined {
  const literal = stringFact(node, context.file);
  if (literal) return literal;
  const inner = unwrap(node);
  const text = ts.isIdentifier(inner) ? context.constants.get(inner.text)?.text : undefined;
  if (text === undefined) return undefined;
  const span = spanOf(inner, context.file);
  return { value: text, span, literal: span, viaConstant: true };
}

function registration(call: ts.CallExpression, fn: RegistrationFunction, context: ParseContext): RegistrationFact {
  const [first, second] = call.arguments;
  // registerModel(name, Cls) but register(Cls, name?).
  const nameArg = fn === "register" ? second : first;
  const clsArg = fn === "register" ? first : second;
  const name = nameArg ? nameString(nameArg, context) : undefined;
  return {
    fn,
    kind: REGISTRATIONS[fn],
    name,
    nameComputed: Boolean(nameArg) && !name,
    cls: clsArg ? nameRef(clsArg, context.file) : undefined,
    callee: spanOf(call.expression, context.file),
    calleeIsName: ts.isIdentifier(call.expression) && call.expression.text === fn,
    call: spanOf(call, context.file),
  };
}

function trainCall(call: ts.CallExpression, context: ParseContext, facts: CallFacts): TrainCallFact | undefined {
  const argument = call.arguments[0] && unwrap(call.arguments[0]);
  if (!argument || !ts.isObjectLiteralExpression(argument)) return undefined;
  const properties = new Map<string, ts.Expression>();
  for (const property of argument.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const key = propertyName(property.name);
    if (key !== undefined) properties.set(key, property.initializer);
  }
  const choice = (kind: ComponentKind): TrainChoice => {
    const cls = properties.get(TRAIN_KEYS[kind].cls);
    const params = properties.get(TRAIN_KEYS[kind].params);
    const name = cls ? chosenName(cls, kind, context, facts) : undefined;
    return { name, params: params ? paramKeys(params, context.file) : undefined };
  };
  return {
    span: spanOf(call, context.file),
    choices: { model: choice("model"), featureGenerator: choice("featureGenerator"), dataAccessObject: choice("dataAccessObject") },
  };
}

/** `modelClass: "Name"` (a lookup of its own) or `modelClass: getModel("Name")` (found by the walk). */
function chosenName(node: ts.Expression, kind: ComponentKind, context: ParseContext, facts: CallFacts): StringFact | undefined {
  const inner = unwrap(node);
  if (ts.isCallExpression(inner)) {
    const callee = mlexpFunction(inner.expression, context);
    const argument = inner.arguments[0];
    return callee && Object.hasOwn(LOOKUPS, callee) && LOOKUPS[callee] === kind && argument ? nameString(argument, context) : undefined;
  }
  const name = nameString(inner, context);
  if (name) facts.lookups.push({ kind, name });
  return name;
}

function paramKeys(node: ts.Expression, file: ts.SourceFile): ParamKeysFact | undefined {
  const inner = unwrap(node);
  if (!ts.isObjectLiteralExpression(inner)) return undefined;
  const keys: { name: string; span: ParamKeysFact["span"] }[] = [];
  const values: ParamKeysFact["span"][] = [];
  let complete = true;
  for (const property of inner.properties) {
    const key = ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property) ? propertyName(property.name) : undefined;
    if (key === undefined || !property.name) {
      complete = false;
      continue;
    }
    keys.push({ name: key, span: spanOf(property.name, file) });
    if (ts.isPropertyAssignment(property)) values.push(spanOf(property.initializer, file));
  }
  return { keys, span: spanOf(inner, file), values, complete };
}
