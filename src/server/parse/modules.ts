import * as ts from "typescript";
import type { ExportFact, ImportFact } from "./facts";
import { hasModifier } from "./literals";

export interface ModuleFacts {
  imports: Map<string, ImportFact>;
  exports: ExportFact[];
}

/**
 * Imports and exports of a file, ES modules and the common CommonJS forms
 * (`const { Model } = require("mlexp")`, `module.exports = { A }`, `exports.A = A`), so that base
 * classes and parameter specs can be followed from file to file.
 */
export function collectModuleFacts(file: ts.SourceFile): ModuleFacts {
  const facts: ModuleFacts = { imports: new Map(), exports: [] };
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement)) addImport(statement, facts);
    else if (ts.isExportDeclaration(statement)) addExportDeclaration(statement, facts);
    else if (ts.isExportAssignment(statement)) addExportAssignment(statement, facts);
    else if (ts.isVariableStatement(statement)) addVariableStatement(statement, facts);
    else if (ts.isExpressionStatement(statement)) addCommonJsExport(statement.expression, facts);
    else addDeclarationExport(statement, facts);
  }
  return facts;
}

function moduleName(node: ts.Expression | undefined): string | undefined {
  return node && ts.isStringLiteral(node) ? node.text : undefined;
}

function addImport(statement: ts.ImportDeclaration, facts: ModuleFacts): void {
  const module = moduleName(statement.moduleSpecifier);
  const clause = statement.importClause;
  if (!module || !clause) return;
  if (clause.name) facts.imports.set(clause.name.text, { local: clause.name.text, module, imported: "default" });
  const bindings = clause.namedBindings;
  if (!bindings) return;
  if (ts.isNamespaceImport(bindings)) {
    facts.imports.set(bindings.name.text, { local: bindings.name.text, module, imported: "*" });
    return;
  }
  for (const element of bindings.elements) {
    const imported = (element.propertyName ?? element.name).text;
    facts.imports.set(element.name.text, { local: element.name.text, module, imported });
  }
}

function addExportDeclaration(statement: ts.ExportDeclaration, facts: ModuleFacts): void {
  const module = moduleName(statement.moduleSpecifier);
  const clause = statement.exportClause;
  if (!clause) {
    if (module) facts.exports.push({ exported: "*", module });
    return;
  }
  if (ts.isNamespaceExport(clause)) {
    if (module) facts.exports.push({ exported: clause.name.text, module, imported: "*" });
    return;
  }
  for (const element of clause.elements) {
    const source = (element.propertyName ?? element.name).text;
    const exported = element.name.text;
    facts.exports.push(module ? { exported, module, imported: source } : { exported, local: source });
  }
}

function addExportAssignment(statement: ts.ExportAssignment, facts: ModuleFacts): void {
  if (ts.isIdentifier(statement.expression)) facts.exports.push({ exported: "default", local: statement.expression.text });
}

/** `export class A`, `export default class A`, `export function f`. */
function addDeclarationExport(statement: ts.Statement, facts: ModuleFacts): void {
  if (!hasModifier(statement, ts.SyntaxKind.ExportKeyword)) return;
  if (!ts.isClassDeclaration(statement) && !ts.isFunctionDeclaration(statement)) return;
  const local = statement.name?.text ?? "default";
  const isDefault = hasModifier(statement, ts.SyntaxKind.DefaultKeyword);
  facts.exports.push({ exported: isDefault ? "default" : local, local });
}

function addVariableStatement(statement: ts.VariableStatement, facts: ModuleFacts): void {
  const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
  for (const declaration of statement.declarationList.declarations) {
    if (exported && ts.isIdentifier(declaration.name)) facts.exports.push({ exported: declaration.name.text, local: declaration.name.text });
    addRequire(declaration, facts);
  }
}

/** `const x = require("m")` and `const { a, b: c } = require("m")`. */
function addRequire(declaration: ts.VariableDeclaration, facts: ModuleFacts): void {
  const init = declaration.initializer;
  if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== "require") return;
  const module = moduleName(init.arguments[0]);
  if (!module) return;
  if (ts.isIdentifier(declaration.name)) {
    facts.imports.set(declaration.name.text, { local: declaration.name.text, module, imported: "*" });
    return;
  }
  if (!ts.isObjectBindingPattern(declaration.name)) return;
  for (const element of declaration.name.elements) {
    if (!ts.isIdentifier(element.name)) continue;
    const property = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
    facts.imports.set(element.name.text, { local: element.name.text, module, imported: property });
  }
}

/** `module.exports = { A, B: C }`, `exports.A = A`, `module.exports.A = A`. */
function addCommonJsExport(expression: ts.Expression, facts: ModuleFacts): void {
  if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
  const target = expression.left;
  const value = expression.right;
  if (isModuleExports(target) && ts.isObjectLiteralExpression(value)) {
    for (const property of value.properties) {
      if (ts.isShorthandPropertyAssignment(property)) facts.exports.push({ exported: property.name.text, local: property.name.text });
      else if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && ts.isIdentifier(property.initializer)) {
        facts.exports.push({ exported: property.name.text, local: property.initializer.text });
      }
    }
    return;
  }
  if (ts.isPropertyAccessExpression(target) && isExportsObject(target.expression) && ts.isIdentifier(value)) {
    facts.exports.push({ exported: target.name.text, local: value.text });
  }
}

function isModuleExports(node: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "module" && node.name.text === "exports";
}

function isExportsObject(node: ts.Expression): boolean {
  return (ts.isIdentifier(node) && node.text === "exports") || isModuleExports(node);
}
