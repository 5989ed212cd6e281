import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from "vscode-languageserver";
import type { TextWithLines } from "../util/positions";
import { rangeOf } from "../util/positions";
import type { Problem } from "./problems";

/**
 * Quick fixes for the problems under the cursor. The fixes are taken from the server's own
 * problems of the file (not from diagnostic `data` echoed by the client), so they work with any
 * client and always match the current text.
 */
export function quickFixes(
  problems: readonly Problem[],
  source: TextWithLines,
  uri: string,
  range: Range,
  toDiagnostic: (problem: Problem) => Diagnostic | undefined,
): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const problem of problems) {
    if (!problem.fix || !overlaps(rangeOf(source, problem.span), range)) continue;
    const diagnostic = toDiagnostic(problem);
    actions.push({
      title: problem.fix.title,
      kind: CodeActionKind.QuickFix,
      isPreferred: true,
      ...(diagnostic ? { diagnostics: [diagnostic] } : {}),
      edit: { changes: { [uri]: problem.fix.edits.map((edit) => ({ range: rangeOf(source, edit.span), newText: edit.newText })) } },
    });
  }
  return actions;
}

function overlaps(a: Range, b: Range): boolean {
  return !(before(a.end, b.start) || before(b.end, a.start));
}

function before(a: Range["start"], b: Range["start"]): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}
