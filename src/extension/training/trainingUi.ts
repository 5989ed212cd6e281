import * as vscode from "vscode";
import type { ModelRun } from "../../core/store/runRecord";
import type { ReproduceJob, ReproduceResult, ResultOf, TrainJob, TrainRequestMessage, TrainResult } from "../../protocol/training";
import { COMMANDS } from "../constants";
import { formatNumber } from "../util/format";
import { percentDone, progressText } from "./progressText";
import { queueSetting } from "./workerSettings";
import type { Outcome } from "./outcome";
import { JobError } from "./trainingProcess";
import type { TrainingHandle, TrainingJob, TrainingService } from "./trainingService";

const OPEN_OUTPUT = "Open Output";
const SHOW_DETAILS = "Show Details";
const COMPARE_WITH_PREVIOUS = "Compare with previous runs";

export interface TrainingUiOptions {
  /** The run ids of a finished run's model started before it; with none, no "Compare with previous runs". */
  earlierRunsOf?(run: ModelRun): Promise<string[]>;
}

/**
 * Trainings as a person sees them: a progress notification with phases and a Cancel button, a
 * notification when the run ends, an error notification with "Open Output" when it fails.
 */
export class TrainingUi {
  constructor(
    private readonly service: TrainingService,
    private readonly output: vscode.LogOutputChannel,
    private readonly options: TrainingUiOptions = {},
  ) {}

  /** Trains, following it with notifications; resolves with how it ended once it has (already reported). */
  async train(workspace: string, request: TrainRequestMessage): Promise<Outcome<TrainResult>> {
    const queue = queueSetting();
    // With a queue the search's trials go to workers; a training without a search is unchanged.
    const job: TrainJob = { kind: "train", workspace, request: queue ? { ...request, search: { ...request.search, queue } } : request };
    const title = `${request.model} on ${request.dataset}`;
    const outcome = await this.follow(job, `Training ${title}`);
    if (outcome.status === "finished") void this.reportTrained(outcome.result);
    return outcome;
  }

  async reproduce(workspace: string, runId: string): Promise<Outcome<ReproduceResult>> {
    const job: ReproduceJob = { kind: "reproduce", workspace, runId };
    const outcome = await this.follow(job, `Reproducing run ${runId}`);
    if (outcome.status === "finished") void this.reportReproduced(outcome.result);
    return outcome;
  }

  private async follow<J extends TrainingJob>(job: J, title: string): Promise<Outcome<ResultOf<J>>> {
    this.output.info(`${title}: ${JSON.stringify(job)}`);
    let handle: TrainingHandle<J> | undefined;
    const outcome = vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (progress, token) => {
        let lastPhase: string | undefined;
        handle = this.service.start(job, title, {
          onProgress: (event) => {
            // The log gets each phase once (a long fit reports hundreds of epochs).
            if (event.phase !== lastPhase) this.output.info(`${title}: ${progressText(event)}`);
            lastPhase = event.phase;
            this.reportProgress(progress, event);
          },
          onLog: (level, line) => (level === "warning" ? this.output.warn(line) : this.output.info(line)),
          onOutput: (text) => this.output.info(text.trimEnd()),
        });
        token.onCancellationRequested(() => handle?.cancel());
        if (handle.info.state === "queued" && this.service.runningCount > 0) progress.report({ message: "Waiting for a free training slot…" });
        return handle.result;
      },
    );
    try {
      return { status: "finished", result: await outcome };
    } catch (error) {
      return this.reportFailure(title, error);
    }
  }

  private lastPercent = new WeakMap<object, number>();

  private reportProgress(progress: vscode.Progress<{ message?: string; increment?: number }>, event: Parameters<typeof progressText>[0]): void {
    const percent = percentDone(event);
    const previous = this.lastPercent.get(progress) ?? 0;
    const increment = percent !== undefined && percent > previous ? percent - previous : undefined;
    if (increment !== undefined) this.lastPercent.set(progress, previous + increment);
    progress.report({ message: progressText(event), ...(increment !== undefined ? { increment } : {}) });
  }

  private async reportTrained(result: TrainResult): Promise<void> {
    const run = result.run;
    const metric = run.metrics[run.metric];
    this.output.info(`Run ${run.run_id} finished: ${JSON.stringify(run.metrics)}`);
    const earlier = await this.earlierRuns(run);
    const buttons = earlier.length ? [COMPARE_WITH_PREVIOUS, SHOW_DETAILS] : [SHOW_DETAILS];
    const choice = await vscode.window.showInformationMessage(`Run ${run.run_id} finished: ${run.model_class} ${run.metric} ${formatNumber(metric)}.`, ...buttons);
    if (choice === SHOW_DETAILS) await vscode.commands.executeCommand(COMMANDS.showRunDetails, run.run_id);
    if (choice === COMPARE_WITH_PREVIOUS) await vscode.commands.executeCommand(COMMANDS.compareRuns, { runIds: [run.run_id, ...earlier] });
  }

  /** Reading the runs must not cost the user the notification: on an error it just has no compare button. */
  private async earlierRuns(run: ModelRun): Promise<string[]> {
    try {
      return (await this.options.earlierRunsOf?.(run)) ?? [];
    } catch (error) {
      this.output.warn(`Could not list the earlier runs of ${run.model_class}: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  private async reportReproduced(result: ReproduceResult): Promise<void> {
    const differing = result.metrics.filter((m) => m.verdict === "different").map((m) => `${m.metric} ${formatNumber(m.original)} → ${formatNumber(m.reproduced)}`);
    const verdict = result.verdict.replace("_", " ");
    const message =
      result.verdict === "different"
        ? `Reproduction of ${result.originalRunId} differs (${differing.join(", ")}); recorded as run ${result.run.run_id}.${result.explanation ? ` ${result.explanation}.` : ""}`
        : `Reproduction of ${result.originalRunId}: ${verdict} (${result.metrics.length} metrics, tolerance ${result.tolerance}); recorded as run ${result.run.run_id}.`;
    this.output.info(message);
    const show = result.verdict === "different" ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const choice = await show(message, SHOW_DETAILS);
    if (choice === SHOW_DETAILS) await vscode.commands.executeCommand(COMMANDS.compareRuns, { runIds: [result.originalRunId, result.run.run_id] });
  }

  private reportFailure<R>(title: string, error: unknown): Outcome<R> {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof JobError && error.cancelled) {
      this.output.info(`${title}: cancelled (${message})`);
      void vscode.window.showInformationMessage(`${title}: cancelled.`);
      return { status: "cancelled", message };
    }
    this.output.error(`${title} failed: ${message}`);
    if (error instanceof JobError && error.detail) this.output.error(error.detail);
    void vscode.window.showErrorMessage(`${title} failed: ${message}`, OPEN_OUTPUT).then((choice) => {
      if (choice === OPEN_OUTPUT) this.output.show(true);
    });
    return { status: "failed", message, code: error instanceof JobError ? error.code : "internal" };
  }
}
