import * as ts from "typescript";
import type { JsonValue } from "../../core/util/json";
import type { NameRef, Span, StringFact } from "./facts";

/** Drops what does not change a value: parentheses, `as const`, `satisfies T`, `x!`. */
export function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isTypeAssertionExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

export function spanOf(node: ts.Node, file: ts.SourceFile): Span {
  return { start: node.getStart(file), end: node.getEnd() };
}

/** A string literal or a template without substitutions, with its content's span. */
export function stringFact(node: ts.Expression, file: ts.SourceFile): StringFact | undefined {
  const inner = unwrap(node);
  if (!ts.isStringLiteral(inner) && !ts.isNoSubstitutionTemplateLiteral(inner)) return undefined;
  const literal = spanOf(inner, file);
  const text = file.text;
  // An unterminated literal (the user is typing) has no closing quote to step over.
  const closed = literal.end - literal.start >= 2 && text[literal.end - 1] === text[literal.start];
  return { value: inner.text, literal, span: { start: literal.start + 1, end: closed ? literal.end - 1 : literal.end } };
}

/** `Name` or `ns.Name`: what `extends`, registrations and spreads refer to. */
export function nameRef(node: ts.Expression, file: ts.SourceFile): NameRef | undefined {
  const inner = unwrap(node);
  if (ts.isIdentifier(inner)) return { name: inner.text, span: spanOf(inner, file) };
  if (ts.isPropertyAccessExpression(inner) && ts.isIdentifier(inner.expression)) {
    return { name: inner.expression.text, member: inner.name.text, span: spanOf(inner, file) };
  }
  return undefined;
}

/** A property name as text: `a`, `"a"`, `1`; undefined for computed names. */
export function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) {
    return name.text;
  }
  if (ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

/** The JSON value of a literal expression, or undefined when it is not one. */
export function jsonValue(node: ts.Expression): JsonValue | undefined {
  const inner = unwrap(node);
  if (ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner)) return inner.text;
  if (ts.isNumericLiteral(inner)) return Number(inner.text);
  if (inner.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (inner.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (inner.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.MinusToken) {
    const value = jsonValue(inner.operand);
    return typeof value === "number" ? -value : undefined;
  }
  if (ts.isArrayLiteralExpression(inner)) return jsonArray(inner);
  if (ts.isObjectLiteralExpression(inner)) return jsonObject(inner);
  return undefined;
}

function jsonArray(node: ts.ArrayLiteralExpression): JsonValue[] | undefined {
  const values: JsonValue[] = [];
  for (const element of node.elements) {
    const value = jsonValue(element);
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
}

function jsonObject(node: ts.ObjectLiteralExpression): Record<string, JsonValue> | undefined {
  const out: Record<string, JsonValue> = {};
  for (const property of node.properties) {
    if (!ts.isPropertyAssignment(property)) return undefined;
    const key = propertyName(property.name);
    const value = jsonValue(property.initializer);
    if (key === undefined || value === undefined) return undefined;
    out[key] = value;
  }
  return out;
}

/** `static readonly x = …` and friends: is the member static? */
export function isStatic(member: ts.ClassElement): boolean {
  return hasModifier(member, ts.SyntaxKind.StaticKeyword);
}

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  return modifiers?.some((modifier) => modifier.kind === kind) ?? false;
}
