/**
 * The training process: forked by the extension host (dist/worker.js), it runs one job of
 * src/protocol/training.ts — train, reproduce, describe, or work as a local queue worker — and
 * exits. Training, TensorFlow.js and the user's code run here, never in the extension host.
 * Started with TRIAL_PROCESS_ARG by a `work` job, it is that worker's trial process instead.
 */
import type { FromWorker, Job } from "../protocol/training";
import { isToWorker, TRIAL_PROCESS_ARG } from "../protocol/training";
import { runJob, toErrorMessage } from "./jobs";
import { serveTrials } from "./trialServer";

const controller = new AbortController();
let started = false;

function send(message: FromWorker): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

async function start(job: Job): Promise<void> {
  let outcome: FromWorker;
  try {
    const result = await runJob(job, {
      signal: controller.signal,
      onProgress: (progress) => void send({ type: "progress", progress }),
      onWorkerStatus: (status) => void send({ type: "worker", status }),
      log: (line) => void send({ type: "log", level: line.startsWith("warning:") ? "warning" : "info", line }),
    });
    outcome = { type: "result", result };
  } catch (error) {
    outcome = { type: "error", error: toErrorMessage(error) };
  }
  await send(outcome);
  // Loaded backends (tfjs, esbuild's service) may keep handles open: the job is done, so is the process.
  process.exit(0);
}

function serveJob(): void {
  process.on("message", (message: unknown) => {
    if (!isToWorker(message)) return;
    if (message.type === "cancel") {
      controller.abort();
      return;
    }
    if (started) return;
    started = true;
    void start(message.job);
  });

  // The extension host went away (window closed, crash): stop the training; the library records the
  // run as cancelled on its way out.
  process.on("disconnect", () => controller.abort());

  if (!process.send) {
    process.stderr.write("dist/worker.js is mlexp's training process: the VS Code extension starts it. Use the mlexp CLI from a terminal.\n");
    process.exit(2);
  }
}

if (process.argv.includes(TRIAL_PROCESS_ARG)) serveTrials();
else serveJob();
