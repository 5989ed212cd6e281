import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import type { FromWorker, ToWorker } from "../../../src/protocol/training";
import type { WorkerChild } from "../../../src/extension/training/trainingProcess";

/** A training process stand-in: records what it was sent and emits what the test says. */
export class FakeWorker extends EventEmitter implements WorkerChild {
  readonly sent: ToWorker[] = [];
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly pid: number;
  connected = true;
  killedWith: NodeJS.Signals | undefined;
  /** What the fake does when asked to cancel (default: nothing, like a busy process). */
  onCancel: () => void = () => undefined;

  constructor(pid = 4242) {
    super();
    this.pid = pid;
  }

  send(message: ToWorker): boolean {
    this.sent.push(message);
    if (message.type === "cancel") this.onCancel();
    return true;
  }

  kill(signal?: NodeJS.Signals): boolean {
    this.killedWith = signal;
    this.exit(null, signal ?? "SIGTERM");
    return true;
  }

  reply(message: FromWorker | Record<string, unknown>): void {
    this.emit("message", message);
  }

  /** Ends the process the way Node reports it: "exit", then "close". */
  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    this.connected = false;
    this.emit("exit", code, signal);
    this.emit("close", code, signal);
  }
}
