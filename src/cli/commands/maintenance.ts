import type { Command } from "commander";
import { collectGarbage, GC_GRACE_MS, rebuildDatabase, type RebuildResult } from "../../core/store/maintenance";
import { globalOptions, openStore } from "../context";
import { printJson, printLine, printNotice } from "../output";

export function registerMaintenance(program: Command): void {
  program
    .command("delete")
    .description("Delete a run: its row and artifact folder (stored data shared with other runs stays)")
    .argument("<run_ids...>", "run ids (or unique prefixes)")
    .action(async (runIds: string[], _flags: unknown, command: Command) => {
      const options = globalOptions(command);
      const store = openStore(options);
      const deleted: string[] = [];
      for (const id of runIds) deleted.push((await store.deleteRun(id)).run_id);
      if (options.json) return printJson({ deleted });
      printLine(`Deleted ${deleted.join(", ")}. Run \`mlexp gc\` to free data no run uses any more.`);
    });

  program
    .command("gc")
    .description("Remove stored datasets, chunks and file lists that no run refers to (in the team store too, when one is in use)")
    .option("--now", "also remove objects written in the last hour (never those of a training still running)")
    .action(async (flags: { now?: boolean }, command: Command) => {
      const options = globalOptions(command);
      const result = await collectGarbage(openStore(options), flags.now ? 0 : GC_GRACE_MS);
      if (options.json) return printJson(result);
      const team = result.team;
      printLine(`Removed ${result.removedDatasets} dataset(s) and ${result.removedChunks} chunk(s), ${(result.freedBytes / 1024).toFixed(1)} KiB${team ? " from the local cache" : ""}; kept ${result.keptDatasets} dataset(s).`);
      if (team) {
        printLine(
          `Team store: removed ${team.removedDatasets} dataset(s), ${team.removedRunFiles} file list(s) of deleted runs and ${team.removedChunks} chunk(s), ${(team.freedBytes / 1024).toFixed(1)} KiB; kept ${team.keptDatasets} dataset(s).`,
        );
      }
    });

  const db = program.command("db").description("Maintain the run database");
  db.command("rebuild")
    .description("Rebuild .mlexp/mlexp.db from the run.json manifests (the old file is kept aside)")
    .action(async (_flags: unknown, command: Command) => {
      const options = globalOptions(command);
      const result = await rebuildDatabase(openStore(options));
      if (result.lost.length) process.exitCode = 1;
      if (options.json) return printJson(result);
      for (const line of rebuildReport(result)) printLine(line);
      for (const line of rebuildWarnings(result)) printNotice(line);
    });
  db.command("checkpoint")
    .description("Fold the journal of recent writes (.mlexp/mlexp.journal) into .mlexp/mlexp.db now")
    .action(async (_flags: unknown, command: Command) => {
      const options = globalOptions(command);
      const store = openStore(options);
      const foldedBytes = await store.db.checkpointNow();
      if (options.json) return printJson({ database: store.db.file, foldedBytes });
      printLine(`Folded ${(foldedBytes / 1024).toFixed(1)} KiB of journal into ${store.db.file}.`);
    });
}

function rebuildReport(result: RebuildResult): string[] {
  const sources = [`${result.fromManifests} from run.json manifests`];
  if (result.fromPreviousDatabase.length) sources.push(`${result.fromPreviousDatabase.length} kept from the previous database (their run.json is missing or damaged: ${result.fromPreviousDatabase.join(", ")})`);
  const lines = [`Rebuilt the database with ${result.runs} run(s): ${sources.join("; ")}.`];
  if (result.before !== null) lines.push(`The previous database had ${result.before} run(s); a copy of it is at ${result.keptAside}.`);
  else if (result.unreadable) lines.push(`The previous database could not be read (${result.unreadable}); a copy of it is at ${result.keptAside}.`);
  return lines;
}

/** What the user must not miss goes to stderr, so that it shows even when stdout is piped away. */
function rebuildWarnings(result: RebuildResult): string[] {
  const lines = result.skipped.map((skip) => `warning: skipped ${skip.folder}: ${skip.reason}`);
  if (result.before !== null && result.runs < result.before) {
    lines.push(`warning: the rebuilt database has ${result.runs} run(s), ${result.before - result.runs} fewer than before (see the skipped runs above); the previous file is kept at ${result.keptAside}.`);
  }
  if (result.lost.length) lines.push(`mlexp: ${result.lost.length} run(s) of the previous database could not be kept: ${result.lost.join(", ")}. Its copy at ${result.keptAside} still holds them.`);
  return lines;
}
