import type { Command } from "commander";
import type { ModelRun } from "../../core/store/runRecord";
import type { SearchStrategy } from "../../core/training/search";
import { trainModel } from "../../core/training/trainModel";
import { MlexpError } from "../../core/util/errors";
import { loadSqlJs } from "../../core/util/sqljs";
import { markPhase } from "../../core/util/timeline";
import { globalOptions, openWorkspace, parseInteger, parseJsonOption, parseNumber } from "../context";
import { formatNumber, printJson, printLine, printNotice } from "../output";
import { ProgressDisplay } from "../progressDisplay";
import { withCancelOnSignal } from "../signals";

interface TrainFlags {
  model: string;
  modelParams?: string;
  features?: string;
  featuresParams?: string;
  dataset: string;
  datasetParams?: string;
  search?: string;
  trials?: string;
  cv?: string;
  metric?: string;
  seed?: string;
  testFraction?: string;
  maxUntrackedMb?: string;
  queue?: string;
  maxFailures?: string;
  queueTimeout?: string;
  remote?: string;
}

export function registerTrain(program: Command): void {
  program
    .command("train")
    .description("Train a model on a feature set and a dataset, and record the run")
    .requiredOption("--model <name>", "registered model name (see `mlexp list`)")
    .option("--model-params <json>", 'model parameters; an array searches over values, e.g. {"learningRate": [0.1, 0.01]}')
    .option("--features <name>", "feature generator name", "Identity")
    .option("--features-params <json>", "feature generator parameters as JSON")
    .requiredOption("--dataset <name>", "data access object name")
    .option("--dataset-params <json>", 'data access object parameters, e.g. {"path": "data.csv", "target": "label"}')
    .option("--search <strategy>", "grid (every combination) or random")
    .option("--trials <n>", "random search: combinations to sample")
    .option("--cv <k>", "cross-validation folds for the search (0: one holdout)")
    .option("--metric <name>", "metric to optimise and rank by (default: accuracy or rmse)")
    .option("--seed <n>", "seed for every random choice", "42")
    .option("--test-fraction <f>", "share of rows held out for evaluation", "0.2")
    .option("--max-untracked-mb <mb>", "untracked files bigger than this stay out of the code snapshot, with a warning", "5")
    .option("--queue <url>", "put the search's trials on this Redis queue (redis://HOST:PORT) for `mlexp worker`s")
    .option("--max-failures <n>", "with --queue: stop the search once more than this many trials failed")
    .option("--queue-timeout <s>", "with --queue: fail the search once the queue has been unreachable this long", "60")
    .option("--remote <name|url>", "with --queue: the git remote the workers fetch the run's code from (default: $MLEXP_GIT_REMOTE, else origin)")
    .action(async (flags: TrainFlags, command: Command) => {
      // The run database is needed within milliseconds; compile sql.js while the workspace loads.
      void loadSqlJs().catch(() => undefined);
      const options = globalOptions(command);
      const workspace = await openWorkspace(options);
      markPhase("workspace opened");
      const display = new ProgressDisplay(!options.json && Boolean(process.stderr.isTTY));
      const run = await withCancelOnSignal((signal) =>
        trainModel({
          workspace: options.workspace,
          store: options.store,
          registry: workspace.registry,
          modelClass: flags.model,
          modelParams: parseJsonOption("--model-params", flags.modelParams, '{"epochs": 50}'),
          featureGeneratorClass: flags.features,
          featureGeneratorParams: parseJsonOption("--features-params", flags.featuresParams, '{"degree": 2}'),
          datasetClass: flags.dataset,
          datasetParams: parseJsonOption("--dataset-params", flags.datasetParams, '{"path": "data.csv", "target": "label"}'),
          seed: parseInteger("--seed", flags.seed),
          metric: flags.metric,
          search: {
            strategy: parseStrategy(flags.search),
            trials: parseInteger("--trials", flags.trials),
            cv: parseInteger("--cv", flags.cv),
            ...(flags.queue ? queueOptions(flags, flags.queue) : {}),
          },
          testFraction: parseNumber("--test-fraction", flags.testFraction),
          maxUntrackedBytes: megabytes(flags.maxUntrackedMb),
          signal,
          onProgress: (progress) => display.update(progress),
          log: (line) => {
            display.clear();
            if (line.startsWith("warning:") || !options.json) printNotice(line);
          },
        }),
      ).finally(() => display.clear());
      if (options.json) printJson(run);
      else printRunSummary(run);
    });
}

function queueOptions(flags: TrainFlags, queue: string) {
  return {
    queue,
    maxFailures: parseInteger("--max-failures", flags.maxFailures),
    queueTimeoutSeconds: parseNumber("--queue-timeout", flags.queueTimeout),
    remote: flags.remote,
  };
}

function megabytes(text: string | undefined): number | undefined {
  const value = parseNumber("--max-untracked-mb", text);
  if (value !== undefined && value < 0) throw new MlexpError(`--max-untracked-mb must be 0 or more, got ${value}.`, "invalid_argument");
  return value === undefined ? undefined : Math.round(value * 1024 * 1024);
}

function parseStrategy(value: string | undefined): SearchStrategy | undefined {
  if (value === undefined || value === "grid" || value === "random") return value;
  throw new MlexpError(`--search must be "grid" or "random", got "${value}".`, "invalid_argument");
}

export function printRunSummary(run: ModelRun): void {
  printLine(`run ${run.run_id} ${run.status}`);
  printLine(`  ${run.model_class} on ${run.feature_generator_class} features of ${run.dataset_class} (seed ${run.seed})`);
  printLine(`  parameters: ${JSON.stringify(run.hyperparameters)}`);
  const metrics = Object.entries(run.metrics).map(([name, value]) => `${name}=${formatNumber(value)}`);
  printLine(`  metrics: ${metrics.join("  ")}`);
  printLine(`  githash: ${run.githash ?? "— (not a git repository)"}${run.dirty ? " (dirty working tree, snapshotted)" : ""}`);
  printLine(`  artifacts: ${run.artifacts}`);
}
