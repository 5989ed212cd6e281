import * as path from "node:path";
import type { ComponentKind } from "../../core/components/component";
import { BASE_CLASS_OF_KIND } from "../builtins/mlexpExports";
import type { ComponentEntry, ResolvedRegistration } from "../index/registrations";
import type { ProjectRegistry } from "../index/registry";
import type { RegistrationFunction } from "../parse/facts";
import { kindLabel, withArticle, type Problem } from "./problems";

/** How a registration's place is named in messages: "mlexp.config.ts:12". */
export type PlaceOf = (entry: ComponentEntry) => string;

const REGISTER_FUNCTION: Readonly<Record<ComponentKind, RegistrationFunction>> = {
  model: "registerModel",
  featureGenerator: "registerFeatureGenerator",
  dataAccessObject: "registerDataAccessObject",
};

/** The registry's own rule (registry.ts `checkName`), checked before the config ever runs. */
const VALID_NAME = /^[A-Za-z_][\w.-]*$/;

export function registrationProblems(registrations: readonly ResolvedRegistration[], registry: ProjectRegistry, placeOf: PlaceOf): Problem[] {
  return registrations.flatMap((registration) => [
    ...nameProblems(registration),
    ...kindProblems(registration),
    ...duplicateProblems(registration, registry, placeOf),
  ]);
}

function nameProblems({ fact, name }: ResolvedRegistration): Problem[] {
  if (!fact.name || name === undefined || VALID_NAME.test(name)) return [];
  return [
    {
      code: "invalid-name",
      severity: "error",
      span: fact.name.span,
      message: `Cannot register under the name ${JSON.stringify(name)}: use letters, digits, '_', '.' or '-', starting with a letter or '_'.`,
    },
  ];
}

/** A class registered as a kind it does not extend: the registry refuses it when the config loads. */
function kindProblems(registration: ResolvedRegistration): Problem[] {
  const { fact, classKind } = registration;
  if (!fact.cls || classKind.kind === "unknown") return [];
  const className = classKind.chain[0] ?? fact.cls.name;
  const chain = classKind.chain.join(" → ");
  if (classKind.kind === "none") {
    const expected = fact.kind ? `so it cannot be registered as ${withArticle(fact.kind)}` : "so it cannot be registered";
    const bases = fact.kind ? BASE_CLASS_OF_KIND[fact.kind] : "Model, FeatureGenerator or DataAccessObject";
    return [problem(fact.cls.span, `Class ${className} extends none of Model, FeatureGenerator, DataAccessObject (${chain}), ${expected}. Declare it as \`class ${className} extends ${bases}\`.`)];
  }
  if (!fact.kind || classKind.kind === fact.kind) return [];
  const right = REGISTER_FUNCTION[classKind.kind];
  const message = `Class ${className} is ${withArticle(classKind.kind)} (${chain}), not ${withArticle(fact.kind)}: ${fact.fn} refuses it. Use ${right}(…) or register(${className}).`;
  // Renaming the callee is only safe when it is written as mlexp's own function name; the new
  // function must then be imported too, which the editor's own quick fix offers.
  const fix = fact.calleeIsName ? { title: `Use ${right}`, edits: [{ span: fact.callee, newText: right }] } : undefined;
  return [{ ...problem(fact.cls.span, message), ...(fix ? { fix } : {}) }];
}

/** A name given to two different classes: the second registration throws when the config loads. */
function duplicateProblems(registration: ResolvedRegistration, registry: ProjectRegistry, placeOf: PlaceOf): Problem[] {
  const { entry, fact } = registration;
  if (!entry) return [];
  const others = registry.all(entry.kind, entry.name).filter((other) => other !== entry && identity(other) !== identity(entry));
  if (!others.length) return [];
  const span = fact.name?.span ?? fact.cls?.span ?? fact.call;
  const builtin = others.find((other) => other.builtin);
  const label = kindLabel(entry.kind);
  const message = builtin
    ? `The ${label} name "${entry.name}" is taken by the built-in ${label} ${builtin.className}: registering class ${entry.className} under it fails when the workspace loads. Choose another name.`
    : `The ${label} name "${entry.name}" is registered twice: class ${entry.className} here and class ${others[0].className} at ${placeOf(others[0])}. The second registration fails when the workspace loads; give one of them another name.`;
  return [problem(span, message, "duplicate-name")];
}

/** Registering the same class twice under one name is allowed; only different classes clash. */
function identity(entry: ComponentEntry): string {
  if (entry.declaration) return `${entry.declaration.file}#${entry.declaration.cls.name}`;
  if (entry.builtin || entry.mlexpClass) return `mlexp:${entry.mlexpClass ?? entry.className}`;
  return `class:${entry.className}`;
}

function problem(span: Problem["span"], message: string, code: Problem["code"] = "wrong-kind"): Problem {
  return { code, severity: "error", span, message };
}

export function relativePlace(root: string, file: string, line: number): string {
  return `${path.relative(root, file).split(path.sep).join("/")}:${line + 1}`;
}
