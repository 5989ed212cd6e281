/**
 * A worker's trial process: it scores the trials its worker sends (src/protocol/trialProcess.ts)
 * one at a time and stays up for the next; the worker kills it to cancel a trial. Training happens
 * here so that the worker's own event loop, which renews BullMQ's job locks, is never busy for
 * long. Served by dist/trial.js (`mlexp worker`'s) and by dist/worker.js started with
 * TRIAL_PROCESS_ARG (the extension's local workers).
 */
import { TrialSession } from "../core/distributed/trialSession";
import { isToTrialProcess, type FromTrialProcess } from "../protocol/trialProcess";
import { toErrorMessage } from "./jobs";

export function serveTrials(): void {
  if (!process.send) {
    process.stderr.write("This is the trial process of an mlexp worker, which starts it.\n");
    process.exit(2);
  }
  const session = new TrialSession();
  const send = (message: FromTrialProcess) => {
    if (process.send && process.connected) process.send(message);
  };
  process.on("message", (message: unknown) => {
    if (!isToTrialProcess(message)) return;
    session
      .run(message.task, (fold, folds) => send({ type: "progress", fold, folds }))
      .then((outcome) => send({ type: "result", ...outcome }))
      .catch((error: unknown) => send({ type: "error", error: toErrorMessage(error) }));
  });
  // The worker went away: so does its trial.
  process.on("disconnect", () => process.exit(0));
}
