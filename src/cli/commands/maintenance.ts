import type { Command } from "commander";
import { collectGarbage, GC_GRACE_MS, rebuildDatabase } from "../../core/store/maintenance";
import { globalOptions, openStore } from "../context";
import { printJson, printLine } from "../output";

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
    .description("Remove stored datasets and chunks that no run refers to")
    .option("--now", "also remove objects written in the last hour")
    .action(async (flags: { now?: boolean }, command: Command) => {
      const options = globalOptions(command);
      const result = await collectGarbage(openStore(options), flags.now ? 0 : GC_GRACE_MS);
      if (options.json) return printJson(result);
      printLine(`Removed ${result.removedDatasets} dataset(s) and ${result.removedChunks} chunk(s), ${(result.freedBytes / 1024).toFixed(1)} KiB; kept ${result.keptDatasets} dataset(s).`);
    });

  const db = program.command("db").description("Maintain the run database");
  db.command("rebuild")
    .description("Rebuild .mlexp/mlexp.db from the run.json manifests (the old file is kept aside)")
    .action(async (_flags: unknown, command: Command) => {
      const options = globalOptions(command);
      const result = await rebuildDatabase(openStore(options));
      if (options.json) return printJson(result);
      printLine(`Rebuilt the database with ${result.runs} run(s).${result.movedAside ? ` The previous file is at ${result.movedAside}.` : ""}`);
      for (const skip of result.skipped) printLine(`  skipped ${skip.folder}: ${skip.reason}`);
    });
}
