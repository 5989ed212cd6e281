import type { Command } from "commander";
import { reproduceRun, type ReproductionReport } from "../../core/reproduce/reproduce";
import { globalOptions, parseNumber } from "../context";
import { formatNumber, formatTable, printJson, printLine, printNotice } from "../output";
import { ProgressDisplay } from "../progressDisplay";
import { withCancelOnSignal } from "../signals";

/** Exit code when the reproduction ran but its metrics differ from the original's. */
export const EXIT_DIFFERENT = 3;

export function registerReproduce(program: Command): void {
  program
    .command("reproduce")
    .description("Re-run a run from its run_id (its code, parameters and stored data) and check the metrics match")
    .argument("<run_id>", "run id (or a unique prefix)")
    .option("--tolerance <x>", "largest metric difference still accepted", "1e-9")
    .option("--fresh-data", "load the data through the data access object instead of the stored copy")
    .action(async (runId: string, flags: { tolerance: string; freshData?: boolean }, command: Command) => {
      const options = globalOptions(command);
      const display = new ProgressDisplay(!options.json && Boolean(process.stderr.isTTY));
      const report = await withCancelOnSignal((signal) =>
        reproduceRun({
          runId,
          workspace: options.workspace,
          store: options.store,
          tolerance: parseNumber("--tolerance", flags.tolerance),
          freshData: Boolean(flags.freshData),
          signal,
          onProgress: (progress) => display.update(progress),
          log: (line) => {
            display.clear();
            if (!options.json) printNotice(line);
          },
        }),
      ).finally(() => display.clear());
      if (options.json) printJson(report);
      else printReport(report);
      if (report.verdict === "different") process.exitCode = EXIT_DIFFERENT;
    });
}

function printReport(report: ReproductionReport): void {
  printLine(`reproduced ${report.original.run_id} as ${report.run.run_id}: ${report.verdict.replace("_", " ")}`);
  if (report.explanation) printLine(`  why: ${report.explanation.summary} (details: mlexp diff ${report.original.run_id} ${report.run.run_id})`);
  printLine(`  code: ${report.run.githash}${report.original.dirty ? " (snapshot of a dirty working tree)" : ""}`);
  if (report.data.source === "stored") printLine(`  data: stored copy ${report.data.original_hash}`);
  else printLine(`  data: loaded fresh, ${report.data.changed ? `CHANGED since the run (${report.data.original_hash} → ${report.data.current_hash})` : "unchanged since the run"}`);
  printLine(
    formatTable(
      ["METRIC", "ORIGINAL", "REPRODUCED", "DIFFERENCE", "VERDICT"],
      report.metrics.map((m) => [m.metric, formatNumber(m.original), formatNumber(m.reproduced), m.difference === null ? "—" : m.difference.toExponential(2), m.verdict]),
    ),
  );
}
