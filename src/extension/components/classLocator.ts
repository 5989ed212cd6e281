/** Where a class is declared in a file's text: 0-based line and character of its name. */
export interface TextPosition {
  line: number;
  character: number;
}

/**
 * Finds `class Name` (exported or not, abstract or not) in TypeScript/JavaScript source, ignoring
 * line comments. A plain text search is enough for "go to definition" of a registered class: the
 * language server (issue 6) can replace it with its index.
 */
export function findClassDeclaration(text: string, className: string): TextPosition | undefined {
  const pattern = new RegExp(`^(.*?\\bclass\\s+)(${escapeRegExp(className)})\\b`);
  const lines = text.split(/\r?\n/);
  for (let line = 0; line < lines.length; line++) {
    const code = stripLineComment(lines[line]);
    const match = pattern.exec(code);
    if (match && !/["'`]/.test(match[1])) return { line, character: match[1].length };
  }
  return undefined;
}

/** Files worth searching first: a file named like the class (modelImpl1.ts for ModelImpl1). */
export function rankCandidateFiles(files: readonly string[], className: string): string[] {
  const wanted = className.toLowerCase();
  const score = (file: string) => {
    const base = file.split(/[\\/]/).pop()?.replace(/\.[^.]+$/, "").toLowerCase() ?? "";
    return base === wanted ? 0 : base.includes(wanted) || wanted.includes(base) ? 1 : 2;
  };
  return [...files].sort((a, b) => score(a) - score(b) || a.localeCompare(b));
}

function stripLineComment(line: string): string {
  const index = line.indexOf("//");
  return index >= 0 ? line.slice(0, index) : line;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
