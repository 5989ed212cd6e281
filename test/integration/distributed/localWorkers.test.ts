import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { listFiles, PackageManager } from "@vscode/vsce";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelRun, SearchTrial } from "../../../src/core/index";
import { workerLauncher } from "../../../src/extension/training/trainingProcess";
import { LocalWorkerPool } from "../../../src/extension/workers/localWorkerPool";
import { REPO_ROOT, runCliJson } from "../../helpers/cli";
import { repoWithRemote, waitUntil } from "../../helpers/distributed";
import { RedisServer } from "../../helpers/redis";
import { tempDir } from "../../helpers/tempDir";

// The extension's "mlexp: Start Local Workers" pool, without VS Code: LocalWorkerPool starting
// processes of dist/worker.js (the `work` job) from a copy of exactly the files the .vsix ships,
// in a folder with no node_modules anywhere above it, so BullMQ, ioredis and everything a trial
// needs must come from the bundles. The e2e suite does the same with the real .vsix in code-server.

let redis: RedisServer;
let extensionDir: string;

beforeAll(async () => {
  redis = await RedisServer.start();
  extensionDir = tempDir("mlexp-vsix-files-");
  await copyShippedFiles(extensionDir);
});
afterAll(async () => {
  await redis?.stop();
});

/** The files `npm run package` puts in the .vsix (asked of vsce), copied from this build. */
async function copyShippedFiles(dir: string): Promise<void> {
  const files = await listFiles({ cwd: REPO_ROOT, packageManager: PackageManager.None });
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, file), path.join(dir, file));
    fs.chmodSync(path.join(dir, file), fs.statSync(path.join(REPO_ROOT, file)).mode);
  }
}

function nodeModulesAbove(dir: string): string[] {
  const found: string[] = [];
  for (let at = dir; ; at = path.dirname(at)) {
    if (fs.existsSync(path.join(at, "node_modules"))) found.push(path.join(at, "node_modules"));
    if (path.dirname(at) === at) return found;
  }
}

/** Processes whose command line mentions `text` (the pool's workers and their trial processes). */
function processesMentioning(text: string): string[] {
  return execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.includes(text));
}

describe("the extension's local worker pool", () => {
  it("runs a search's trials on its workers from the shipped files alone, names them, counts their trials and stops them all", async () => {
    const workerScript = path.join(extensionDir, "dist", "worker.js");
    expect(fs.existsSync(workerScript)).toBe(true);
    // Only the esbuild runtime the build copies into dist/ (the user's config is bundled with it).
    expect(nodeModulesAbove(path.join(extensionDir, "dist"))).toEqual([path.join(extensionDir, "dist", "node_modules")]);
    expect(fs.readdirSync(path.join(extensionDir, "dist", "node_modules")).sort()).toEqual(["@esbuild", "esbuild"]);

    const { repo } = repoWithRemote();
    const lines: string[] = [];
    const failures: string[] = [];
    const pool = new LocalWorkerPool({
      launch: (workspace) => workerLauncher({ workerPath: workerScript, cwd: workspace, env: { NODE_PATH: "" } }),
      stopTimeoutMs: () => 15_000,
      log: (_level, line) => lines.push(line),
      onWorkerFailed: (message) => failures.push(message),
    });
    try {
      await pool.start({ count: 2, queue: redis.url, store: repo, workspace: repo, cacheRoot: tempDir("mlexp-pool-cache-") });
      await waitUntil("both workers taking trials", () => pool.workers.filter((w) => w.state === "running").length === 2, 60_000);
      const names = pool.workers.map((w) => w.name);
      expect(new Set(names).size).toBe(2);

      const args = ["train", "--model", "Probe", "--model-params", '{"value": [1, 2, 3, 4], "sleepMs": 400}', "--dataset", "Synthetic", "--dataset-params", '{"rows": 120}', "--cv", "2", "--queue", redis.url];
      const run = await runCliJson<ModelRun>(args, repo);
      expect(run.status).toBe("finished");
      const { trials } = await runCliJson<{ trials: SearchTrial[] }>(["show", run.run_id], repo);
      expect(trials.map((t) => [t.trial, t.status])).toEqual([0, 1, 2, 3].map((i) => [i, "finished"]));
      expect(new Set(trials.map((t) => t.worker))).toEqual(new Set(names));
      await waitUntil("the status of the last trial", () => pool.workers.reduce((sum, w) => sum + w.finished, 0) === 4, 10_000);
      expect(lines.some((l) => /^\[worker [12]\] trial \d\/4 of .* accuracy=/.test(l))).toBe(true);
      expect(failures).toEqual([]);
    } finally {
      await pool.stop();
    }
    expect(pool.workers).toEqual([]);
    expect(lines.filter((l) => /^\[worker [12]\] stopped: \d trial\(s\) scored, 0 failed, 0 handed back$/.test(l))).toHaveLength(2);
    await waitUntil("no worker or trial process left", () => processesMentioning(workerScript).length === 0, 10_000);
  });
});
