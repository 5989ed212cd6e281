import { Command, CommanderError } from "commander";
import { version } from "../../package.json";
import { isMlexpError, messageOf } from "../core/util/errors";
import { markPhase, printTimelineAtExit } from "../core/util/timeline";
import { registerCodeCommands } from "./commands/code";
import { registerComponentCommands } from "./commands/components";
import { registerDiff } from "./commands/diff";
import { registerMaintenance } from "./commands/maintenance";
import { registerReproduce } from "./commands/reproduce";
import { registerRuns } from "./commands/runs";
import { registerShare } from "./commands/share";
import { registerTrain } from "./commands/train";
import { registerWorker } from "./commands/worker";

/** Exit codes: 0 success, 1 an error explained on stderr, 2 a usage error, 3 a reproduction that differs. */
function buildProgram(): Command {
  const program = new Command("mlexp")
    .description("Train any model on any features and any dataset, record every run, reproduce and compare runs.")
    .version(version)
    .option("-w, --workspace <dir>", "workspace folder (default: the current folder)")
    .option("--json", "machine-readable output on stdout")
    .option("--store <url>", "where runs are stored: workspace (default), a workspace folder, or postgresql://user@host:5432/db (default: $MLEXP_STORE)")
    .showHelpAfterError("(add --help for usage)")
    .exitOverride();
  registerComponentCommands(program);
  registerTrain(program);
  registerRuns(program);
  registerDiff(program);
  registerReproduce(program);
  registerCodeCommands(program);
  registerMaintenance(program);
  registerShare(program);
  registerWorker(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

async function main(argv: string[]): Promise<void> {
  printTimelineAtExit();
  markPhase("CLI bundle loaded");
  try {
    await buildProgram().parseAsync(argv);
    markPhase("command done");
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
  exitWhenFlushed();
}

/**
 * A connection the server never answered (a team store that went away) must not keep a finished
 * command alive. The timer is unref'd: it only fires when something else still holds the process,
 * and waits for stdout and stderr to drain first.
 */
function exitWhenFlushed(): void {
  setTimeout(() => {
    if (process.stdout.writableLength || process.stderr.writableLength) exitWhenFlushed();
    else process.exit();
  }, 1_000).unref();
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  process.stderr.write(`mlexp: ${messageOf(error)}\n`);
  if (!isMlexpError(error) && process.env.MLEXP_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
  return 1;
}

// `mlexp runs | head` closes the pipe early: that is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

void main(process.argv);
