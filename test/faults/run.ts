/**
 * The fault suite (`npm run test:faults`): the built CLI, as separate processes, killed at random
 * moments of training, storing and gc, in a storm of concurrent commands, on a full disk, and with
 * its database and objects damaged, against every store backend in backends.ts. After each fault
 * it checks that nothing was lost (see `check` in scenarios.ts) and prints what it tried, what
 * survived and what was lost. Seeded: `npm run test:faults -- --seed N` replays a campaign.
 * `--rounds N` sets how many kills of each kind (default 2); `--only TEXT` runs the scenarios
 * whose name contains TEXT, `--backend TEXT` the backends whose name does.
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { BACKENDS, type StoreBackend } from "./backends";
import { seededRandom, tempRoot, Workspace } from "./harness";
import { SCENARIOS, type Outcome, type Scenario } from "./scenarios";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { seed: { type: "string" }, rounds: { type: "string" }, only: { type: "string" }, backend: { type: "string" } } });
  const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
  const rounds = values.rounds !== undefined ? Number(values.rounds) : 2;
  if (!Number.isInteger(seed) || !Number.isInteger(rounds) || rounds < 1) throw new Error("--seed and --rounds take whole numbers (--rounds at least 1).");
  console.log(`fault suite: seed ${seed} (replay with: npm run test:faults -- --seed ${seed}${values.rounds ? ` --rounds ${rounds}` : ""})`);
  const started = Date.now();
  const totals: Totals = { tried: 0, survived: 0, lost: 0, failed: false };
  for (const backend of BACKENDS.filter((b) => !values.backend || b.name.includes(values.backend))) {
    const unavailable = await backend.unavailable();
    if (unavailable) console.log(`[${backend.name}] skipped: ${unavailable}`);
    else await runBackend(backend, seed, rounds, values.only, totals);
  }
  console.log(`faults tried: ${totals.tried}, survived: ${totals.survived}, runs lost: ${totals.lost} (${((Date.now() - started) / 1000).toFixed(0)} s, seed ${seed})`);
  return totals.failed ? 1 : 0;
}

interface Totals {
  tried: number;
  survived: number;
  lost: number;
  failed: boolean;
}

async function runBackend(backend: StoreBackend, seed: number, rounds: number, only: string | undefined, totals: Totals): Promise<void> {
  const stop = await backend.prepare();
  const root = tempRoot();
  try {
    for (const scenario of SCENARIOS.filter((s) => !only || s.name.includes(only))) {
      const t0 = Date.now();
      const outcome = await runScenario(backend, scenario, seed, rounds, root);
      report(backend.name, scenario.name, outcome, Date.now() - t0);
      totals.tried += outcome.tried;
      totals.survived += outcome.survived;
      totals.lost += outcome.lost.length;
      if (outcome.problems.length || outcome.lost.length) totals.failed = true;
    }
  } finally {
    await stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function runScenario(backend: StoreBackend, scenario: Scenario, seed: number, rounds: number, root: string): Promise<Outcome> {
  // Each scenario has its own stream, so that one can be replayed alone with --only.
  const random = seededRandom(seed ^ hash(scenario.name));
  const attached: Workspace[] = [];
  const context = {
    backend,
    random,
    workspace: async (name: string, parent = root) => {
      const dir = Workspace.create(parent, name);
      const ws = new Workspace(dir, await backend.attach(dir));
      attached.push(ws);
      return ws;
    },
  };
  try {
    return await scenario.run(context, rounds);
  } catch (error) {
    return { tried: 1, survived: 0, lost: [], problems: [`the scenario itself failed: ${(error as Error).stack ?? String(error)}`] };
  } finally {
    for (const ws of attached) await ws.store.detach();
  }
}

function report(backend: string, scenario: string, outcome: Outcome, ms: number): void {
  if (outcome.skipped) {
    console.log(`[${backend}] ${scenario}: SKIPPED — ${outcome.skipped}`);
    return;
  }
  const verdict = outcome.problems.length || outcome.lost.length ? "FAILED" : "ok";
  console.log(`[${backend}] ${scenario}: ${verdict} — tried ${outcome.tried}, survived ${outcome.survived}, lost ${outcome.lost.length} (${(ms / 1000).toFixed(1)} s)`);
  for (const problem of outcome.problems) console.log(`    ${problem}`);
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
