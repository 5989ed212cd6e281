import type { ComponentKind } from "../../core/components/component";
import { KIND_LABELS } from "../../core/components/component";
import type { Span } from "../parse/facts";

export type ProblemCode = "unknown-name" | "duplicate-name" | "wrong-kind" | "invalid-name" | "unknown-param";

export type ProblemSeverity = "error" | "warning";

/** A text replacement a quick fix applies, in the same file. */
export interface TextFix {
  readonly title: string;
  readonly edits: readonly { readonly span: Span; readonly newText: string }[];
}

/** A diagnostic before it is turned into LSP positions; quick fixes stay on the server. */
export interface Problem {
  readonly code: ProblemCode;
  readonly severity: ProblemSeverity;
  readonly span: Span;
  readonly message: string;
  readonly fix?: TextFix;
}

export function kindLabel(kind: ComponentKind): string {
  return KIND_LABELS[kind];
}

/** "a model", "a feature generator", "a data access object". */
export function withArticle(kind: ComponentKind): string {
  return `a ${kindLabel(kind)}`;
}

/** Up to `max` names, then "and N more": messages stay readable in a workspace with hundreds. */
export function listNames(names: readonly string[], max = 8): string {
  if (!names.length) return "(none)";
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
