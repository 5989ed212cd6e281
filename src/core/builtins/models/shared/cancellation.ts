import { MlexpError } from "../../../util/errors";

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new MlexpError("Training was cancelled.", "cancelled");
}

/**
 * Lets pending events run between epochs. A cancel request from the parent process arrives as an
 * IPC message, which a synchronous training loop would never see.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
