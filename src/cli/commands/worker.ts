import * as os from "node:os";
import * as path from "node:path";
import type { Command } from "commander";
import { runWorker } from "../../core/distributed/queueWorker";
import { MlexpError } from "../../core/util/errors";
import { STORE_ENV } from "../../core/store/storeUrl";
import { globalOptions, parseInteger } from "../context";
import { printLine } from "../output";

interface WorkerFlags {
  queue: string;
  concurrency: string;
  cacheDir?: string;
  remote?: string;
}

export function registerWorker(program: Command): void {
  program
    .command("worker")
    .description("Score the trials of distributed searches (`mlexp train … --queue URL`) until stopped with Ctrl-C; --store: the coordinators' run store")
    .requiredOption("--queue <url>", "the Redis queue the coordinators use (redis://HOST:PORT)")
    .option("--concurrency <n>", "trials scored at once, each in its own process", "1")
    .option("--cache-dir <dir>", "where fetched code and datasets are kept (default: ~/.cache/mlexp/worker)")
    .option("--remote <url>", "fetch the runs' code from this git remote instead of the one each run names")
    .action(async (flags: WorkerFlags, command: Command) => {
      // `--store` is the global option: the team's postgresql:// URL or the coordinator's workspace folder.
      const store = globalOptions(command).store ?? process.env[STORE_ENV];
      if (!store) throw new MlexpError("mlexp worker needs the run store the coordinators use.", "invalid_argument", "Give --store postgresql://user@host:5432/db (or the coordinator's workspace folder), or set MLEXP_STORE.");
      const concurrency = parseInteger("--concurrency", flags.concurrency) ?? 1;
      if (concurrency < 1) throw new MlexpError(`--concurrency must be at least 1, got ${concurrency}.`, "invalid_argument");
      const controller = new AbortController();
      const onSignal = () => {
        if (controller.signal.aborted) process.exit(130);
        process.stderr.write("\nStopping: unfinished trials go back to the queue… (press Ctrl-C again to exit at once)\n");
        controller.abort();
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      const summary = await runWorker(
        {
          queue: flags.queue,
          store,
          concurrency,
          cacheDir: path.resolve(flags.cacheDir ?? path.join(os.homedir(), ".cache", "mlexp", "worker")),
          remote: flags.remote,
          trialScript: path.join(__dirname, "trial.js"),
          lockDurationMs: envMs("MLEXP_WORKER_LOCK_MS"),
          stalledIntervalMs: envMs("MLEXP_WORKER_STALLED_MS"),
          log: (line) => printLine(`${new Date().toISOString().slice(11, 19)} ${line}`),
        },
        controller.signal,
      );
      printLine(`worker stopped: ${summary.finished} trial(s) scored, ${summary.failed} failed, ${summary.handedBack} handed back`);
      // BullMQ and the trial processes are closed; loaded backends may keep handles open.
      process.exit(0);
    });
}

/** Tuning for tests and small clusters: how fast a dead worker's trial is given to another. */
function envMs(name: string): number | undefined {
  const value = process.env[name];
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}
