import type { Location } from "vscode-languageserver";
import type { Span } from "../parse/facts";
import { rangeOf } from "../util/positions";
import { pathToUri } from "../util/uris";
import type { FeatureContext } from "./context";
import { locate } from "./locate";

/** From a component name to its class, and from a `modelParams` key to the parameter's declaration. */
export function definition(context: FeatureContext, file: string, offset: number): Location | null {
  const located = locate(context.linked, file, offset);
  if (!located) return null;
  const registry = context.linked.registryOf(file);
  if (located.kind === "name") {
    const declaration = registry.get(located.componentKind, located.name.value)?.declaration;
    return declaration ? locationOf(context, declaration.file, declaration.cls.nameSpan) : null;
  }
  if (located.kind === "paramKey") {
    const name = located.train.choices[located.componentKind].name;
    const entry = name && registry.get(located.componentKind, name.value);
    const param = entry ? entry.params.params.find((p) => p.name === located.key.name) : undefined;
    return param?.location ? locationOf(context, param.location.file, param.location.span) : null;
  }
  return null;
}

function locationOf(context: FeatureContext, file: string, span: Span): Location | null {
  const source = context.table.get(file);
  return source ? { uri: pathToUri(file), range: rangeOf(source, span) } : null;
}
