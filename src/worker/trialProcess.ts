/**
 * A worker's trial process (dist/trial.js): forked by `mlexp worker`, one per slot, it scores the
 * trials it is sent one at a time (src/protocol/trialProcess.ts) and stays up for the next. The
 * worker kills it to cancel a trial. Training happens here so that the worker's own event loop,
 * which renews BullMQ's job locks, is never busy for long.
 */
import { TrialSession } from "../core/distributed/trialSession";
import { isToTrialProcess, type FromTrialProcess } from "../protocol/trialProcess";
import { toErrorMessage } from "./jobs";

const session = new TrialSession();

function send(message: FromTrialProcess): void {
  if (process.send && process.connected) process.send(message);
}

process.on("message", (message: unknown) => {
  if (!isToTrialProcess(message)) return;
  session
    .run(message.task, (fold, folds) => send({ type: "progress", fold, folds }))
    .then((outcome) => send({ type: "result", ...outcome }))
    .catch((error: unknown) => send({ type: "error", error: toErrorMessage(error) }));
});

// The worker went away: so does its trial.
process.on("disconnect", () => process.exit(0));

if (!process.send) {
  process.stderr.write("dist/trial.js is the trial process of `mlexp worker`, which starts it.\n");
  process.exit(2);
}
