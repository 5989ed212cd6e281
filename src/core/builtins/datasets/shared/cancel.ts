import { MlexpError } from "../../../util/errors";

/** Node's streams reject with an AbortError when the load's AbortSignal fires. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || (error as { code?: unknown }).code === "ABORT_ERR");
}

export function cancelledError(what: string): MlexpError {
  return new MlexpError(`${what} was cancelled.`, "cancelled");
}
