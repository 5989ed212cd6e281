/**
 * `npm run bench`: every benchmark, each printing its figures next to a baseline measured in the
 * same run. Pass names to run only some: `npm run bench -- storage reproduction`.
 */
import { benchCsvReading } from "./csvReading";
import { benchDiff } from "./diff";
import { benchDistributed } from "./distributed";
import { benchFeatures } from "./features";
import { benchGitCost } from "./gitCost";
import { benchLanguageServer } from "./languageServer";
import { benchModels } from "./models";
import { benchReproduction } from "./reproduction";
import { benchStorageGrowth, benchStorageThroughput } from "./storage";
import { benchChunkThreads, benchStorageCodecs } from "./storageCodecs";
import { benchStore } from "./store";
import { benchTeamStore } from "./teamStore";
import { benchTracking } from "./tracking";
import { benchWebview } from "./webview";

const BENCHMARKS: Record<string, () => Promise<void>> = {
  models: benchModels,
  features: benchFeatures,
  tracking: async () => {
    await benchGitCost();
    await benchCsvReading();
    await benchTracking();
  },
  csv: benchCsvReading,
  storage: async () => {
    await benchStorageGrowth();
    await benchStorageCodecs();
    await benchStorageThroughput();
    await benchChunkThreads();
  },
  reproduction: benchReproduction,
  store: benchStore,
  "store-team": benchTeamStore,
  "language-server": benchLanguageServer,
  webview: benchWebview,
  distributed: benchDistributed,
  diff: benchDiff,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !(name in BENCHMARKS));
  if (unknown.length) throw new Error(`Unknown benchmark(s) ${unknown.join(", ")}; choose from ${Object.keys(BENCHMARKS).join(", ")}.`);
  for (const [name, run] of Object.entries(BENCHMARKS)) {
    if (wanted.length && !wanted.includes(name)) continue;
    console.log(`\n=== ${name} ===`);
    await run();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
