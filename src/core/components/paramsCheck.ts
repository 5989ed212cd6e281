import { parseSearchSpace } from "../training/search";
import { isMlexpError } from "../util/errors";
import type { ComponentKind } from "./component";
import { resolveParams, specFromDescription, type ParamDescription, type ParamSpec, type ParamSpecs } from "./params";

/** How the library names each kind in its messages (`Invalid parameters for data access object "CsvFile": …`). */
export const OWNER_KIND: Readonly<Record<ComponentKind, string>> = {
  model: "model",
  featureGenerator: "feature generator",
  dataAccessObject: "data access object",
};

/**
 * Checks parameters given for a component known only by its description (in the editor, before
 * anything is loaded) with the rules `trainModel` applies before a run starts: the same types,
 * ranges, choices, required ones, unknown names with the closest one, and for a model the search
 * lists. Returns the library's own message, or undefined when the parameters would be accepted.
 */
export function paramsProblem(kind: ComponentKind, name: string, params: readonly ParamDescription[], given: unknown): string | undefined {
  const specs: Record<string, ParamSpec> = {};
  // A parameter whose spec could not be read keeps its name (for unknown-name checks) but any value.
  for (const param of params) specs[param.name] = specFromDescription(param) ?? ({ type: "unchecked" } as unknown as ParamSpec);
  const owner = { kind: OWNER_KIND[kind], name };
  try {
    if (kind === "model") parseSearchSpace(specs as ParamSpecs, given, owner);
    else resolveParams(specs as ParamSpecs, given, owner);
    return undefined;
  } catch (error) {
    if (isMlexpError(error)) return error.message;
    throw error;
  }
}
