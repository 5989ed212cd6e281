import * as ts from "typescript";
import type { ClassFact, ConstFact, ImportFact, ParamsExpr } from "./facts";
import { hasModifier, isStatic, nameRef, propertyName, spanOf, stringFact, unwrap } from "./literals";
import { paramsExpr } from "./paramSpecs";

export interface DeclarationFacts {
  classes: Map<string, ClassFact>;
  constants: Map<string, ConstFact>;
}

interface ParseContext {
  readonly file: ts.SourceFile;
  readonly imports: ReadonlyMap<string, ImportFact>;
}

/**
 * Top-level classes (any of them may be a component or an intermediate base class) and top-level
 * constants that can hold a parameter spec or a registered name. Nested declarations cannot be
 * imported by another file or registered by name, so they are left out.
 */
export function collectDeclarations(context: ParseContext): DeclarationFacts {
  const facts: DeclarationFacts = { classes: new Map(), constants: new Map() };
  for (const statement of context.file.statements) {
    if (ts.isClassDeclaration(statement)) {
      const fact = classFact(statement, context);
      facts.classes.set(fact.name, fact);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const fact = constFact(declaration, context);
        if (fact) facts.constants.set(fact.name, fact);
      }
    }
  }
  return facts;
}

function classFact(node: ts.ClassDeclaration, context: ParseContext): ClassFact {
  const { file } = context;
  const nameNode = node.name;
  const members = staticMembers(node, context);
  return {
    // `export default class extends Model {}` is exported as "default" and registered by reference.
    name: nameNode?.text ?? "default",
    nameSpan: nameNode ? spanOf(nameNode, file) : { start: node.getStart(file), end: node.getStart(file) + "class".length },
    start: node.getStart(file),
    base: baseOf(node, file),
    isAbstract: hasModifier(node, ts.SyntaxKind.AbstractKeyword),
    ...members,
  };
}

function baseOf(node: ts.ClassDeclaration, file: ts.SourceFile): ClassFact["base"] {
  const clause = node.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword);
  const type = clause?.types[0];
  return type ? nameRef(type.expression, file) : undefined;
}

interface StaticMembers {
  params?: ParamsExpr;
  description?: string;
  task?: string;
}

/** `static params = …`, `static description = "…"`, `static task = "…"`. */
function staticMembers(node: ts.ClassDeclaration, context: ParseContext): StaticMembers {
  const out: StaticMembers = {};
  for (const member of node.members) {
    if (!ts.isPropertyDeclaration(member) || !isStatic(member) || !member.initializer) continue;
    const name = propertyName(member.name);
    if (name === "params") out.params = paramsExpr(member.initializer, context);
    else if (name === "description") out.description = stringFact(member.initializer, context.file)?.value;
    else if (name === "task") out.task = stringFact(member.initializer, context.file)?.value;
  }
  return out;
}

function constFact(declaration: ts.VariableDeclaration, context: ParseContext): ConstFact | undefined {
  if (!ts.isIdentifier(declaration.name) || !declaration.initializer) return undefined;
  const init = unwrap(declaration.initializer);
  const base = { name: declaration.name.text, span: spanOf(declaration.name, context.file) };
  const text = stringFact(init, context.file)?.value;
  if (text !== undefined) return { ...base, text };
  if (ts.isObjectLiteralExpression(init) || ts.isCallExpression(init)) {
    const params = paramsExpr(init, context);
    return params.kind === "object" ? { ...base, params } : undefined;
  }
  return undefined;
}
