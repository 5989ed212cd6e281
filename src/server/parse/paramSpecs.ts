import * as ts from "typescript";
import type { JsonValue } from "../../core/util/json";
import type { ImportFact, ParamFact, ParamsEntry, ParamsExpr } from "./facts";
import { jsonValue, nameRef, propertyName, spanOf, unwrap } from "./literals";

/** `param.number(...)` and friends → the spec's `type` (and `integer`), as in core's `param`. */
const BUILDERS: Readonly<Record<string, { type: string; integer?: boolean }>> = {
  number: { type: "number" },
  integer: { type: "number", integer: true },
  string: { type: "string" },
  boolean: { type: "boolean" },
  numberArray: { type: "number[]" },
  stringArray: { type: "string[]" },
};

interface ParseContext {
  readonly file: ts.SourceFile;
  readonly imports: ReadonlyMap<string, ImportFact>;
}

/** The value of `static params = …` or of a spec constant. */
export function paramsExpr(node: ts.Expression, context: ParseContext): ParamsExpr {
  const inner = unwrap(node);
  if (ts.isObjectLiteralExpression(inner)) return { kind: "object", entries: inner.properties.map((p) => paramsEntry(p, context)) };
  if (isObjectFreeze(inner)) return paramsExpr(inner.arguments[0], context);
  const ref = nameRef(inner, context.file);
  return ref ? { kind: "ref", ref } : { kind: "unknown" };
}

function isObjectFreeze(node: ts.Expression): node is ts.CallExpression {
  return (
    ts.isCallExpression(node) &&
    node.arguments.length === 1 &&
    ts.isPropertyAccessExpression(node.expression) &&
    ts.isIdentifier(node.expression.expression) &&
    node.expression.expression.text === "Object" &&
    node.expression.name.text === "freeze"
  );
}

function paramsEntry(property: ts.ObjectLiteralElementLike, context: ParseContext): ParamsEntry {
  if (ts.isSpreadAssignment(property)) {
    const ref = nameRef(property.expression, context.file);
    return ref ? { kind: "spread", ref } : { kind: "unknown" };
  }
  const name = property.name ? propertyName(property.name) : undefined;
  if (name === undefined || !property.name) return { kind: "unknown" };
  const span = spanOf(property.name, context.file);
  // The key is what unknown-parameter checks need; the spec is a bonus when it is literal.
  const spec = ts.isPropertyAssignment(property) ? specOf(property.initializer, context) : undefined;
  return { kind: "param", param: describeSpec(name, span, spec) };
}

/** The spec object behind `param.number({...})` or a literal `{ type: "number", ... }`. */
function specOf(node: ts.Expression, context: ParseContext): Record<string, JsonValue> | undefined {
  const inner = unwrap(node);
  if (ts.isObjectLiteralExpression(inner)) return literalFields(inner);
  if (!ts.isCallExpression(inner) || !ts.isPropertyAccessExpression(inner.expression)) return undefined;
  const builder = BUILDERS[inner.expression.name.text];
  if (!builder || !isParamNamespace(inner.expression.expression, context)) return undefined;
  const argument = inner.arguments[0];
  const fields = argument && ts.isObjectLiteralExpression(unwrap(argument)) ? literalFields(unwrap(argument) as ts.ObjectLiteralExpression) : {};
  return { ...fields, ...builder };
}

/** `param`, an alias of it imported from mlexp, or `mlexp.param`. */
function isParamNamespace(node: ts.Expression, context: ParseContext): boolean {
  if (ts.isIdentifier(node)) return node.text === "param" || context.imports.get(node.text)?.imported === "param";
  return ts.isPropertyAccessExpression(node) && node.name.text === "param";
}

/** The literal fields of an object; fields with computed values are left out, not guessed. */
function literalFields(node: ts.ObjectLiteralExpression): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const property of node.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const key = propertyName(property.name);
    const value = jsonValue(property.initializer);
    if (key !== undefined && value !== undefined) out[key] = value;
  }
  return out;
}

/** The same description core's `describeParams` gives, so hovers match `mlexp list`. */
function describeSpec(name: string, span: ParamFact["span"], spec: Record<string, JsonValue> | undefined): ParamFact {
  if (!spec || typeof spec.type !== "string") return { name, span, type: "unknown", required: false };
  const type = spec.type;
  const integer = spec.integer === true;
  return {
    name,
    span,
    type: type === "number" && integer ? "integer" : type === "number[]" && integer ? "integer[]" : type,
    ...(spec.default !== undefined ? { default: spec.default } : {}),
    required: spec.required === true,
    ...(typeof spec.description === "string" && spec.description ? { description: spec.description } : {}),
    ...(type === "string" && Array.isArray(spec.choices) ? { choices: spec.choices.filter((c) => typeof c === "string") } : {}),
    ...(typeof spec.min === "number" ? { min: spec.min } : {}),
    ...(type === "number" && typeof spec.max === "number" ? { max: spec.max } : {}),
    ...(type === "number" && spec.exclusiveMin === true ? { exclusiveMin: true } : {}),
    ...(type === "number[]" && typeof spec.minLength === "number" ? { minLength: spec.minLength } : {}),
  };
}
