import { MarkupKind, type Hover } from "vscode-languageserver";
import type { ClassFact } from "../parse/facts";
import { isComponentKind } from "../index/registrations";
import { rangeOf } from "../util/positions";
import { runsOfEntry, whereOf, type FeatureContext } from "./context";
import { locate, type Located } from "./locate";
import { componentMarkdown, paramMarkdown } from "./markdown";
import { kindLabel } from "./problems";

/** Hover on a component name, a component class or a parameter key of `trainModel`. */
export function hover(context: FeatureContext, file: string, offset: number): Hover | null {
  const located = locate(context.linked, file, offset);
  const source = context.table.get(file);
  if (!located || !source) return null;
  const text = hoverText(context, file, located);
  if (!text) return null;
  const span = located.kind === "name" ? located.name.span : located.kind === "class" ? located.cls.nameSpan : located.kind === "paramKey" ? located.key.span : undefined;
  return { contents: { kind: MarkupKind.Markdown, value: text }, ...(span ? { range: rangeOf(source, span) } : {}) };
}

function hoverText(context: FeatureContext, file: string, located: Located): string | undefined {
  const registry = context.linked.registryOf(file);
  if (located.kind === "name") {
    const entry = registry.get(located.componentKind, located.name.value);
    return entry ? componentMarkdown(entry, whereOf(context, file, entry), runsOfEntry(context, file, entry)) : undefined;
  }
  if (located.kind === "class") return classText(context, file, located.cls);
  if (located.kind === "paramKey") {
    const name = located.train.choices[located.componentKind].name;
    const entry = name && registry.get(located.componentKind, name.value);
    const param = entry ? entry.params.params.find((p) => p.name === located.key.name) : undefined;
    return entry && param ? paramMarkdown(param, entry) : undefined;
  }
  return undefined;
}

function classText(context: FeatureContext, file: string, cls: ClassFact): string | undefined {
  const linked = context.linked.linkedClass(file, cls);
  const [first, ...others] = linked.entries;
  if (first) {
    const also = others.length ? `\n\nAlso registered as ${others.map((e) => `"${e.name}"`).join(", ")}.` : "";
    return componentMarkdown(first, undefined, runsOfEntry(context, file, first)) + also;
  }
  if (!isComponentKind(linked.kind.kind)) return undefined;
  const params = context.linked.paramsOfClass(file, cls).params.map((p) => `\`${p.name}\``);
  const role = cls.isAbstract || context.linked.isBaseClass(cls) ? "base class" : "class, not registered";
  return [
    `**${cls.name}** — ${kindLabel(linked.kind.kind)} ${role} (${linked.kind.chain.join(" → ")})`,
    params.length ? `Parameters: ${params.join(", ")}` : "No parameters.",
  ].join("\n\n");
}
