import { DiagnosticSeverity, type Diagnostic } from "vscode-languageserver";
import type { LinkedIndex } from "../index/linkedIndex";
import type { ComponentEntry } from "../index/registrations";
import type { SourceTable } from "../index/sourceTable";
import { rangeOf, positionAt } from "../util/positions";
import { lookupProblems } from "./lookupProblems";
import { paramProblems } from "./paramProblems";
import type { Problem } from "./problems";
import { registrationProblems, relativePlace } from "./registrationProblems";

/** Every problem of one file, against the registry of the mlexp workspace it belongs to. */
export function problemsOf(linked: LinkedIndex, table: SourceTable, file: string): Problem[] {
  const facts = linked.factsOf(file);
  if (!facts) return [];
  const registry = linked.registryOf(file);
  const root = registry.project.root;
  const placeOf = (entry: ComponentEntry): string => {
    const registration = entry.registration;
    const source = registration && table.get(registration.file);
    if (!registration || !source) return "a built-in";
    return relativePlace(root, registration.file, positionAt(source, registration.fact.call.start).line);
  };
  return [
    ...lookupProblems(facts.lookups, registry),
    ...registrationProblems(linked.registrationsIn(file), registry, placeOf),
    ...paramProblems(facts.trainCalls, registry),
  ];
}

export function toDiagnostic(problem: Problem, table: SourceTable, file: string): Diagnostic | undefined {
  const source = table.get(file);
  if (!source) return undefined;
  return {
    range: rangeOf(source, problem.span),
    severity: problem.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: problem.code,
    source: "mlexp",
    message: problem.message,
  };
}
