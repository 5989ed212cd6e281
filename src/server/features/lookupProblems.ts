import { closestName } from "../../core/util/suggest";
import type { LookupFact } from "../parse/facts";
import type { ProjectRegistry } from "../index/registry";
import { kindLabel, listNames, type Problem } from "./problems";

/**
 * A name looked up that no registration provides: the lookup would throw "Unknown model" when the
 * training starts. When some registrations of that kind have names the parser cannot read, the
 * name may exist after all, so it is a warning rather than an error.
 */
export function lookupProblems(lookups: readonly LookupFact[], registry: ProjectRegistry): Problem[] {
  const problems: Problem[] = [];
  for (const { kind, name } of lookups) {
    // An empty string is a name being typed, not a mistake yet.
    if (!name.value || registry.get(kind, name.value)) continue;
    const names = registry.names(kind);
    const guess = closestName(name.value, names);
    const uncertain = registry.isUncertain(kind);
    const label = kindLabel(kind);
    const message = [
      `Unknown ${label} "${name.value}".`,
      guess ? ` Did you mean "${guess}"?` : "",
      ` Registered ${label}s: ${listNames(names)}.`,
      uncertain ? ` (Some ${label}s are registered under computed names, which cannot be checked here.)` : "",
    ].join("");
    problems.push({
      code: "unknown-name",
      severity: uncertain ? "warning" : "error",
      span: name.span,
      message,
      ...(guess && !name.viaConstant ? { fix: { title: `Change to "${guess}"`, edits: [{ span: name.span, newText: guess }] } } : {}),
    });
  }
  return problems;
}
