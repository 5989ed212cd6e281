import * as path from "node:path";
import * as ts from "typescript";
import { collectCalls } from "./calls";
import { collectDeclarations } from "./declarations";
import type { SourceFacts } from "./facts";
import { collectModuleFacts } from "./modules";

const SCRIPT_KINDS: Readonly<Record<string, ts.ScriptKind>> = {
  ".ts": ts.ScriptKind.TS,
  ".mts": ts.ScriptKind.TS,
  ".cts": ts.ScriptKind.TS,
  ".tsx": ts.ScriptKind.TSX,
  ".js": ts.ScriptKind.JS,
  ".mjs": ts.ScriptKind.JS,
  ".cjs": ts.ScriptKind.JS,
  ".jsx": ts.ScriptKind.JSX,
};

/**
 * Parses one file with the TypeScript parser (syntax only: no program, no type checker, so a file
 * costs well under a millisecond and never depends on another) and extracts its facts.
 */
export function parseSource(fileName: string, text: string): SourceFacts {
  const kind = SCRIPT_KINDS[path.extname(fileName).toLowerCase()] ?? ts.ScriptKind.TS;
  // JSDoc is never read here; skipping it makes parsing noticeably cheaper.
  const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
  const file = ts.createSourceFile(fileName, text, options, false, kind);
  const { imports, exports } = collectModuleFacts(file);
  const { classes, constants } = collectDeclarations({ file, imports });
  const locals = topLevelNames(file);
  const { registrations, lookups, trainCalls } = collectCalls({ file, imports, constants, locals });
  return { imports, exports, classes, constants, registrations, lookups, trainCalls };
}

function topLevelNames(file: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of file.statements) {
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) names.add(statement.name.text);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
      }
    }
  }
  return names;
}

/**
 * Whether a file can hold anything the index needs for its own sake: a class with a base, a
 * registration, a lookup or a training call. Other files are parsed only when an import leads to
 * them (barrel files re-exporting components), which keeps indexing a large workspace fast.
 */
export function mayHoldFacts(text: string): boolean {
  return RELEVANT.test(text);
}

// Names, not calls: an aliased import (`registerModel as rm`) still mentions the real name.
const RELEVANT = /\bextends\b|\bregister(?:Model|FeatureGenerator|DataAccessObject)?\b|\bget(?:Model|FeatureGenerator|DataAccessObject)\b|\btrainModel\b/;
