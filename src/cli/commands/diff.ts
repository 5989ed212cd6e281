import type { Command } from "commander";
import { diffRuns } from "../../core/diff/runDiff";
import { globalOptions, openStore } from "../context";
import { printJson, printLine } from "../output";
import { formatRunDiff } from "../diffReport";

export function registerDiff(program: Command): void {
  program
    .command("diff")
    .description("What changed between two runs: code, data, parameters and environment")
    .argument("<run_a>", "the run to compare from (id or unique prefix)")
    .argument("<run_b>", "the run to compare to")
    .option("--sample <n>", "example rows of each kind (changed, added, removed) to show", "5")
    .action(async (idA: string, idB: string, flags: { sample: string }, command: Command) => {
      const options = globalOptions(command);
      const store = openStore(options);
      const [a, b] = await Promise.all([store.getRun(idA), store.getRun(idB)]);
      const sampleSize = Math.max(0, Math.min(1000, Number.parseInt(flags.sample, 10) || 0));
      const diff = await diffRuns(a, b, {
        workspace: options.workspace,
        objects: store.localObjects.store,
        trials: (runId) => store.trials(runId),
        sampleSize,
      });
      if (options.json) return printJson(diff);
      for (const line of formatRunDiff(diff)) printLine(line);
    });
}
