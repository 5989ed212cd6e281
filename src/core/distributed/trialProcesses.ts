import { fork, type ChildProcess } from "node:child_process";
import { isFromTrialProcess, type TrialTask } from "../../protocol/trialProcess";
import { MlexpError } from "../util/errors";
import type { TrialOutcome } from "./trialSession";

/**
 * The worker's trial processes, one per slot, each started on first use and kept for the next
 * trial (it caches the run's code and data). Cancelling a trial kills its process; the slot gets a
 * fresh one next time. At most `size` trials run at once (BullMQ's concurrency guarantees it).
 */
export class TrialProcesses {
  private readonly idle: ChildProcess[] = [];
  private readonly all = new Set<ChildProcess>();

  constructor(
    private readonly script: string,
    private readonly args: string[],
    private readonly stderr: (text: string) => void,
  ) {}

  /** Runs one trial; rejects with the trial's own error, or a cancellation when `signal` fires. */
  async run(task: TrialTask, signal: AbortSignal, onFold: (fold: number, folds: number) => void): Promise<TrialOutcome> {
    const child = this.idle.pop() ?? this.start();
    let healthy = false;
    try {
      const outcome = await new Promise<TrialOutcome>((resolve, reject) => {
        const onAbort = () => {
          child.kill("SIGKILL");
          reject(new MlexpError("The trial was stopped.", "cancelled"));
        };
        const onExit = (code: number | null, killedBy: string | null) =>
          reject(new Error(`The trial process exited (${killedBy ?? `code ${code}`}) before the trial ended.`));
        const onMessage = (message: unknown) => {
          if (!isFromTrialProcess(message)) return;
          if (message.type === "progress") return onFold(message.fold, message.folds);
          cleanUp();
          if (message.type === "result") resolve({ trial: message.trial, score: message.score, foldScores: message.foldScores });
          else reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
        };
        const cleanUp = () => {
          signal.removeEventListener("abort", onAbort);
          child.off("exit", onExit);
          child.off("message", onMessage);
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        child.on("exit", onExit);
        child.on("message", onMessage);
        child.send({ type: "run", task });
      });
      healthy = true;
      return outcome;
    } catch (error) {
      // A trial that failed in the user's code leaves a usable process; anything else does not.
      healthy = child.exitCode === null && child.signalCode === null && !signal.aborted && (error as { code?: string }).code !== undefined;
      throw error;
    } finally {
      if (healthy) this.idle.push(child);
      else this.stop(child);
    }
  }

  /** Starts processes until `count` are idle: node and the trial script load before the first trial comes. */
  warm(count: number): void {
    while (this.idle.length < count) this.idle.push(this.start());
  }

  /** Kills every trial process (the worker is stopping). */
  close(): void {
    for (const child of this.all) this.stop(child);
    this.idle.length = 0;
  }

  private start(): ChildProcess {
    const child = fork(this.script, this.args, { stdio: ["ignore", "ignore", "pipe", "ipc"], serialization: "advanced" });
    child.stderr?.on("data", (chunk: Buffer) => this.stderr(chunk.toString()));
    child.on("error", () => undefined);
    child.on("exit", () => {
      this.all.delete(child);
      // An idle process that died (killed, out of memory) is never handed a trial.
      const idle = this.idle.indexOf(child);
      if (idle >= 0) this.idle.splice(idle, 1);
    });
    this.all.add(child);
    return child;
  }

  private stop(child: ChildProcess): void {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    this.all.delete(child);
  }
}
