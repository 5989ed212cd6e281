import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem } from "vscode-languageserver";
import type { ComponentKind } from "../../core/components/component";
import type { ParamInfo } from "../index/classes";
import type { ComponentEntry } from "../index/registrations";
import type { Span, StringFact, TrainCallFact } from "../parse/facts";
import { rangeOf, type TextWithLines } from "../util/positions";
import { runsOfEntry, whereOf, type FeatureContext } from "./context";
import { locate } from "./locate";
import { componentDetail, componentMarkdown, paramMarkdown } from "./markdown";

/**
 * Registered names inside lookup strings (`getModel("|")`, `modelClass: "|"`), and parameter
 * names inside `modelParams: { | }` once the model is known.
 */
export function completion(context: FeatureContext, file: string, offset: number): CompletionItem[] {
  const located = locate(context.linked, file, offset);
  const source = context.table.get(file);
  if (!located || !source) return [];
  if (located.kind === "name" && located.inLookup && !located.name.viaConstant) {
    return nameItems(context, file, source, located.componentKind, located.name);
  }
  if (located.kind === "paramKey") {
    return paramItems(context, file, source, located.train, located.componentKind, { replace: located.key.span, skip: located.key.name });
  }
  if (located.kind === "paramSlot") {
    return paramItems(context, file, source, located.train, located.componentKind, { present: located.keys.keys.map((k) => k.name) });
  }
  return [];
}

function nameItems(context: FeatureContext, file: string, source: TextWithLines, kind: ComponentKind, name: StringFact): CompletionItem[] {
  const range = rangeOf(source, name.span);
  return context.linked
    .registryOf(file)
    .components()
    .filter((entry) => entry.kind === kind)
    .map((entry) => ({
      label: entry.name,
      kind: CompletionItemKind.Class,
      detail: componentDetail(entry),
      documentation: { kind: MarkupKind.Markdown, value: componentMarkdown(entry, whereOf(context, file, entry), runsOfEntry(context, file, entry)) },
      // The workspace's own components before the built-ins.
      sortText: `${entry.builtin ? 1 : 0}${entry.name}`,
      textEdit: { range, newText: entry.name },
    }));
}

interface ParamSlot {
  /** The key being edited, replaced by the chosen name. */
  replace?: Span;
  skip?: string;
  /** Keys already given, not offered again. */
  present?: readonly string[];
}

function paramItems(
  context: FeatureContext,
  file: string,
  source: TextWithLines,
  train: TrainCallFact,
  kind: ComponentKind,
  slot: ParamSlot,
): CompletionItem[] {
  const name = train.choices[kind].name;
  const entry = name && context.linked.registryOf(file).get(kind, name.value);
  if (!entry) return [];
  const present = new Set(slot.present ?? []);
  return entry.params.params.filter((param) => !present.has(param.name) || param.name === slot.skip).map((param) => paramItem(param, entry, source, slot));
}

function paramItem(param: ParamInfo, entry: ComponentEntry, source: TextWithLines, slot: ParamSlot): CompletionItem {
  const base = {
    label: param.name,
    kind: CompletionItemKind.Property,
    detail: `${param.type}${param.default !== undefined ? ` = ${JSON.stringify(param.default)}` : ""}`,
    documentation: { kind: MarkupKind.Markdown, value: paramMarkdown(param, entry) },
  };
  if (slot.replace) return { ...base, textEdit: { range: rangeOf(source, slot.replace), newText: param.name } };
  // A new key comes with its default as a placeholder, ready to be overwritten.
  const value = param.default !== undefined ? JSON.stringify(param.default) : "";
  return { ...base, insertText: `${param.name}: \${1:${value.replace(/[$}\\]/g, "\\$&")}}`, insertTextFormat: InsertTextFormat.Snippet };
}
