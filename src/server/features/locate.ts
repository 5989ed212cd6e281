import type { ComponentKind } from "../../core/components/component";
import type { LinkedIndex } from "../index/linkedIndex";
import { COMPONENT_KINDS } from "../index/registry";
import { contains, type ClassFact, type ParamKeysFact, type Span, type StringFact, type TrainCallFact } from "../parse/facts";

/** What the cursor is on, as far as mlexp is concerned. */
export type Located =
  /** A component name in a lookup, a `trainModel` option or a registration. */
  | { readonly kind: "name"; readonly componentKind: ComponentKind; readonly name: StringFact; readonly inLookup: boolean }
  | { readonly kind: "class"; readonly cls: ClassFact }
  /** A key of `modelParams: { … }` (or the other `…Params`). */
  | { readonly kind: "paramKey"; readonly componentKind: ComponentKind; readonly key: { name: string; span: Span }; readonly train: TrainCallFact }
  /** Inside `modelParams: { … }` where a new key could go. */
  | { readonly kind: "paramSlot"; readonly componentKind: ComponentKind; readonly keys: ParamKeysFact; readonly train: TrainCallFact };

export function locate(linked: LinkedIndex, file: string, offset: number): Located | undefined {
  const facts = linked.factsOf(file);
  if (!facts) return undefined;
  for (const lookup of facts.lookups) {
    if (contains(lookup.name.span, offset)) return { kind: "name", componentKind: lookup.kind, name: lookup.name, inLookup: true };
  }
  for (const registration of linked.registrationsIn(file)) {
    const name = registration.fact.name;
    if (name && registration.kind && contains(name.span, offset)) return { kind: "name", componentKind: registration.kind, name, inLookup: false };
  }
  for (const cls of facts.classes.values()) if (contains(cls.nameSpan, offset)) return { kind: "class", cls };
  for (const train of facts.trainCalls) {
    const found = locateInParams(train, offset);
    if (found) return found;
  }
  return undefined;
}

function locateInParams(train: TrainCallFact, offset: number): Located | undefined {
  for (const componentKind of COMPONENT_KINDS) {
    const keys = train.choices[componentKind].params;
    if (!keys) continue;
    const key = keys.keys.find((k) => contains(k.span, offset));
    if (key) return { kind: "paramKey", componentKind, key, train };
    // Strictly inside the braces and not in a value: where a key can be typed.
    const inside = offset > keys.span.start && offset < keys.span.end;
    if (inside && !keys.values.some((value) => contains(value, offset))) return { kind: "paramSlot", componentKind, keys, train };
  }
  return undefined;
}
