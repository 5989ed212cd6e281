import type { Command } from "commander";
import { compareRuns, metricNames, rankRuns } from "../../core/compare/compare";
import { toCsv } from "../../core/compare/csv";
import type { FieldValue } from "../../core/compare/fields";
import type { ModelRun, SearchTrial } from "../../core/store/runRecord";
import { MlexpError } from "../../core/util/errors";
import { globalOptions, openStore } from "../context";
import { formatDuration, formatNumber, formatTable, printJson, printLine } from "../output";
import * as fs from "node:fs";

export function registerRuns(program: Command): void {
  program
    .command("runs")
    .description(`List the recorded runs, newest first (the newest ${DEFAULT_PAGE} unless --limit or --all)`)
    .option("--limit <n>", `show at most this many (default ${DEFAULT_PAGE})`)
    .option("--all", "show every run")
    .action(async (flags: { limit?: string; all?: boolean }, command: Command) => {
      const options = globalOptions(command);
      const limit = flags.all ? undefined : pageSize(flags.limit);
      const store = openStore(options);
      const runs = await store.listRuns(limit === undefined ? {} : { limit });
      if (options.json) return printJson(runs);
      if (!runs.length) return printLine("No runs yet. Train one with `mlexp train --model NAME --dataset NAME`.");
      printLine(
        formatTable(
          ["RUN_ID", "STATUS", "MODEL", "FEATURES", "DATASET", "METRIC", "STARTED", "TOOK"],
          runs.map((run) => [
            run.run_id,
            run.status,
            run.model_class,
            run.feature_generator_class,
            run.dataset_class,
            run.metrics[run.metric] === undefined ? "—" : `${run.metric}=${formatNumber(run.metrics[run.metric])}`,
            run.start_time.replace("T", " ").slice(0, 19),
            formatDuration(run.start_time, run.end_time),
          ]),
        ),
      );
      if (limit !== undefined && runs.length === limit) {
        const total = await store.runs.countRuns();
        if (total > limit) printLine(`(the newest ${limit} of ${total} runs: --limit N or --all for more)`);
      }
    });

  program
    .command("show")
    .description("Show one run: its record, learning curves and search trials")
    .argument("<run_id>", "run id (or a unique prefix)")
    .action(async (runId: string, _flags: unknown, command: Command) => {
      const options = globalOptions(command);
      const store = openStore(options);
      const run = await store.getRun(runId);
      const [history, trials] = await Promise.all([store.history(run.run_id), store.trials(run.run_id)]);
      if (options.json) return printJson({ ...run, history, trials });
      for (const [key, value] of Object.entries(run)) printLine(`${key.padEnd(26)}${typeof value === "object" && value !== null ? JSON.stringify(value) : formatNumber(value)}`);
      if (history.length) printLine(`history${" ".repeat(19)}${summariseHistory(history)}`);
      for (const trial of trials) printLine(`trial ${trial.trial}`.padEnd(26) + trialLine(run.metric, trial));
    });

  program
    .command("compare")
    .description("Compare runs: what they share, what differs, ranked by a metric")
    .argument("<run_ids...>", "two or more run ids")
    .option("--metric <name>", "metric to rank by (default: the first run's metric)")
    .option("--all", "show every field, not only those that differ")
    .action(async (runIds: string[], flags: { metric?: string; all?: boolean }, command: Command) => {
      const options = globalOptions(command);
      if (runIds.length < 2) throw new MlexpError("compare needs at least two run ids.", "invalid_argument", "List them with `mlexp runs`.");
      const store = openStore(options);
      const runs = await Promise.all(runIds.map((id) => store.getRun(id)));
      const metric = chooseMetric(runs, flags.metric);
      const { direction, ranked } = rankRuns(runs, metric);
      const comparison = compareRuns(ranked.map((r) => r.run));
      if (options.json) return printJson({ metric, direction, ranked: ranked.map((r) => ({ run_id: r.run.run_id, value: r.value, rank: r.rank, best: r.best })), common: comparison.common, differing: comparison.differing, rows: comparison.rows });
      printLine(`Ranked by ${metric} (${direction === "max" ? "higher" : "lower"} is better)`);
      printLine("\nShared by all runs:");
      for (const [field, value] of Object.entries(comparison.common)) printLine(`  ${field.padEnd(30)}${formatNumber(value)}`);
      const columns = ["run_id", ...(flags.all ? comparison.fields.filter((f) => f !== "run_id") : comparison.differing)];
      printLine(`\n${flags.all ? "All fields" : "What differs"}:`);
      printLine(formatTable(["#", ...columns], ranked.map((r, i) => [r.best ? "★" : String(r.rank ?? "—"), ...columns.map((c) => formatNumber(comparison.rows[i][c]))])));
    });

  program
    .command("export")
    .description("Export every run as CSV or JSON")
    .option("--format <format>", "csv or json", "csv")
    .option("--output <file>", "write to a file instead of standard output")
    .action(async (flags: { format: string; output?: string }, command: Command) => {
      const options = globalOptions(command);
      if (flags.format !== "csv" && flags.format !== "json") {
        throw new MlexpError(`--format must be csv or json, got "${flags.format}".`, "invalid_argument");
      }
      const runs = await openStore(options).listRuns();
      const text = flags.format === "json" ? `${JSON.stringify(runs, null, 2)}\n` : csvOf(runs);
      if (flags.output) fs.writeFileSync(flags.output, text);
      else process.stdout.write(text);
    });
}

/** What `mlexp runs` shows without --limit or --all: a screenful, like `git log` in a pager. */
const DEFAULT_PAGE = 50;

function pageSize(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PAGE;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new MlexpError(`--limit must be a whole number of runs (1 or more), got "${text}".`, "invalid_argument", "Or use --all.");
  return value;
}

function csvOf(runs: ModelRun[]): string {
  const comparison = compareRuns(runs);
  return toCsv(comparison.fields, comparison.rows as Record<string, FieldValue>[]);
}

function chooseMetric(runs: ModelRun[], wanted: string | undefined): string {
  const names = metricNames(runs);
  if (wanted === undefined) return runs[0]?.metric ?? names[0];
  if (names.includes(wanted)) return wanted;
  throw new MlexpError(`None of these runs has the metric "${wanted}".`, "invalid_argument", `They have: ${names.join(", ") || "(no metrics)"}.`);
}

function summariseHistory(history: { step: number; name: string; value: number }[]): string {
  const byName = new Map<string, number[]>();
  for (const point of history) byName.set(point.name, [...(byName.get(point.name) ?? []), point.value]);
  return [...byName].map(([name, values]) => `${name}: ${values.length} epochs, ${formatNumber(values[0])} → ${formatNumber(values[values.length - 1])}`).join("; ");
}

/** A trial's score and parameters, and for a distributed search where and how long it ran. */
function trialLine(metric: string, trial: SearchTrial): string {
  const outcome = trial.status === "failed" ? `failed: ${trial.error}` : `${metric}=${formatNumber(trial.score)}`;
  const where = trial.worker ? ` on ${trial.worker} in ${((trial.duration_ms ?? 0) / 1000).toFixed(1)} s` : "";
  return `${outcome} ${JSON.stringify(trial.params)}${where}`;
}
