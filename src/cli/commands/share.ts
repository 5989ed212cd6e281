import type { Command } from "commander";
import { repositoryTop } from "../../core/git/git";
import { DEFAULT_GIT_REMOTE, fetchRunRefs, pushRunRefs } from "../../core/git/sharedRefs";
import { copyRuns, type CopyReport } from "../../core/store/copyRuns";
import type { ModelRun } from "../../core/store/runRecord";
import { Store } from "../../core/store/store";
import { STORE_ENV } from "../../core/store/storeUrl";
import { MlexpError } from "../../core/util/errors";
import { globalOptions, type GlobalOptions } from "../context";
import { printJson, printLine, printNotice } from "../output";

interface ShareFlags {
  to?: string;
  from?: string;
  gitRemote?: string;
}

export function registerShare(program: Command): void {
  program
    .command("push")
    .description("Copy runs (with curves, trials, datasets and code snapshots) from this workspace to another store; idempotent and resumable")
    .argument("[run_ids...]", "run ids or prefixes (default: every finished run)")
    .option("--to <url>", "the destination store (default: --store or $MLEXP_STORE)")
    .option("--git-remote <remote>", "where the runs' snapshot refs go (default: $MLEXP_GIT_REMOTE or origin)")
    .action(async (runIds: string[], flags: ShareFlags, command: Command) => {
      const options = globalOptions(command);
      const to = destinationOf(flags.to ?? options.store ?? process.env[STORE_ENV], "push", "--to");
      const source = Store.open(options.workspace, { store: "workspace" });
      const destination = Store.open(options.workspace, { store: to });
      await share(options, source, destination, runIds, "push", flags.gitRemote);
    });

  program
    .command("pull")
    .description("Copy runs (with curves, trials, datasets and code snapshots) from another store into this workspace; idempotent and resumable")
    .argument("[run_ids...]", "run ids or prefixes (default: every finished run)")
    .option("--from <url>", "the store to copy from (default: --store or $MLEXP_STORE)")
    .option("--git-remote <remote>", "where the runs' snapshot refs are fetched from (default: $MLEXP_GIT_REMOTE or origin)")
    .action(async (runIds: string[], flags: ShareFlags, command: Command) => {
      const options = globalOptions(command);
      const from = destinationOf(flags.from ?? options.store ?? process.env[STORE_ENV], "pull", "--from");
      const source = Store.open(options.workspace, { store: from });
      const destination = Store.open(options.workspace, { store: "workspace" });
      await share(options, source, destination, runIds, "pull", flags.gitRemote);
    });
}

function destinationOf(url: string | undefined, verb: string, flag: string): string {
  if (url && url !== "workspace") return url;
  throw new MlexpError(`mlexp ${verb} needs the other store.`, "invalid_argument", `Give it with ${flag} postgresql://user@host:5432/db (or a workspace folder), or set MLEXP_STORE.`);
}

async function share(options: GlobalOptions, source: Store, destination: Store, runIds: string[], verb: "push" | "pull", gitRemote: string | undefined): Promise<void> {
  try {
    const runs = await chooseRuns(source, runIds);
    const report = await copyRuns(source, destination, runs, (runId, outcome) => {
      if (!options.json) printNotice(`${runId} ${outcome}`);
    });
    const copied = [...report.created, ...report.updated, ...report.unchanged];
    const refs = await shareRefs(options.workspace, runs.filter((run) => copied.includes(run.run_id) && run.githash), verb, gitRemote ?? process.env.MLEXP_GIT_REMOTE ?? DEFAULT_GIT_REMOTE);
    if (options.json) printJson({ ...report, snapshots: refs });
    else printSummary(report, verb, destination, source, refs);
    if (report.failed.length) process.exitCode = 1;
  } finally {
    source.close();
    destination.close();
  }
}

async function chooseRuns(source: Store, runIds: string[]): Promise<ModelRun[]> {
  if (runIds.length) return Promise.all(runIds.map((id) => source.getRun(id)));
  return (await source.listRuns({ order: "asc" })).filter((run) => run.status !== "running");
}

/** Pushes or fetches the copied runs' snapshot refs; says what happened. */
async function shareRefs(workspace: string, runs: ModelRun[], verb: "push" | "pull", remote: string): Promise<{ remote: string; count: number; problem?: string }> {
  if (!runs.length) return { remote, count: 0 };
  const top = await repositoryTop(workspace);
  if (!top) return { remote, count: 0, problem: `${workspace} is not in a git repository` };
  const ids = runs.map((run) => run.run_id);
  const problem = verb === "push" ? await pushRunRefs(top, ids, remote) : await fetchRunRefs(top, ids, remote);
  return { remote, count: problem ? 0 : ids.length, ...(problem ? { problem } : {}) };
}

function printSummary(report: CopyReport, verb: string, destination: Store, source: Store, refs: { remote: string; count: number; problem?: string }): void {
  const where = verb === "push" ? `to ${destination.runs.description}` : `from ${source.runs.description}`;
  printLine(
    `${verb === "push" ? "Pushed" : "Pulled"} ${report.created.length + report.updated.length} run(s) ${where} (${report.created.length} new, ${report.updated.length} updated, ${report.unchanged.length} already there); ${report.chunksSent} data chunk(s), ${(report.bytesSent / 1024).toFixed(1)} KiB sent.`,
  );
  if (refs.problem) printLine(`Code snapshots were not ${verb === "push" ? "pushed to" : "fetched from"} ${refs.remote}: ${refs.problem}.`);
  else if (refs.count) printLine(`${refs.count} code snapshot ref(s) ${verb === "push" ? "pushed to" : "fetched from"} ${refs.remote}.`);
  for (const failure of report.failed) printLine(`  not copied: ${failure.run_id}: ${failure.reason}`);
}
