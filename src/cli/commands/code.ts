import type { Command } from "commander";
import { checkoutRun, worktreeForRun } from "../../core/git/checkout";
import { globalOptions, openStore } from "../context";
import { printJson, printLine } from "../output";

export function registerCodeCommands(program: Command): void {
  program
    .command("checkout")
    .description("Put the working tree at a run's code (refuses if uncommitted changes would be lost)")
    .argument("<run_id>", "run id (or a unique prefix)")
    .option("--branch", "create and switch to a branch mlexp/<run_id> instead of a detached HEAD")
    .action(async (runId: string, flags: { branch?: boolean }, command: Command) => {
      const options = globalOptions(command);
      const run = await openStore(options).getRun(runId);
      const result = await checkoutRun(options.workspace, run, { branch: Boolean(flags.branch) });
      if (options.json) return printJson({ run_id: run.run_id, ...result });
      printLine(result.branch ? `Switched to a new branch ${result.branch} at ${result.commit}` : `HEAD is now at ${result.commit} (detached), the code of run ${run.run_id}`);
    });

  program
    .command("worktree")
    .description("Check out a run's code in a separate folder (git worktree)")
    .argument("<run_id>", "run id (or a unique prefix)")
    .argument("[dir]", "folder to create (default: next to the repository)")
    .action(async (runId: string, dir: string | undefined, _flags: unknown, command: Command) => {
      const options = globalOptions(command);
      const run = await openStore(options).getRun(runId);
      const folder = await worktreeForRun(options.workspace, run, dir);
      if (options.json) return printJson({ run_id: run.run_id, path: folder, commit: run.githash });
      printLine(folder);
    });
}
