import type { ComponentKind } from "../../core/components/component";
import { closestName } from "../../core/util/suggest";
import type { ProjectRegistry } from "../index/registry";
import type { TrainCallFact } from "../parse/facts";
import { COMPONENT_KINDS } from "../index/registry";
import { kindLabel, type Problem } from "./problems";

/**
 * Keys of `modelParams` (and `featureGeneratorParams`, `datasetParams`) that the chosen component
 * does not declare: `resolveParams` rejects them before the run starts. Only checked when the
 * component's whole parameter list is known.
 */
export function paramProblems(trainCalls: readonly TrainCallFact[], registry: ProjectRegistry): Problem[] {
  return trainCalls.flatMap((call) => COMPONENT_KINDS.flatMap((kind) => choiceProblems(call, kind, registry)));
}

function choiceProblems(call: TrainCallFact, kind: ComponentKind, registry: ProjectRegistry): Problem[] {
  const { name, params } = call.choices[kind];
  if (!name || !params) return [];
  const entry = registry.get(kind, name.value);
  if (!entry || !entry.params.complete) return [];
  const known = entry.params.params.map((param) => param.name);
  const takes = known.length ? `It takes: ${known.join(", ")}.` : "It takes no parameters.";
  return params.keys
    .filter((key) => !known.includes(key.name))
    .map((key) => {
      const guess = closestName(key.name, known);
      const label = kindLabel(kind);
      return {
        code: "unknown-param" as const,
        severity: "error" as const,
        span: key.span,
        message: `The ${label} "${entry.name}" has no parameter "${key.name}".${guess ? ` Did you mean "${guess}"?` : ""} ${takes}`,
        ...(guess ? { fix: { title: `Change to "${guess}"`, edits: [{ span: key.span, newText: guess }] } } : {}),
      };
    });
}
