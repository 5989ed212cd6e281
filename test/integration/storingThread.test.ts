import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { summariseDataset } from "../../src/core/diff/data/summarise";
import { ObjectStore } from "../../src/core/objects/objectStore";
import type { ModelRun } from "../../src/core/store/runRecord";
import { REPO_ROOT } from "../helpers/cli";
import { initRepo } from "../helpers/gitRepo";
import { tempDir } from "../helpers/tempDir";

/**
 * A training through the bundled library (dist/index.js, as users and the training process load
 * it): the script logs, in order, each thread started (wrapping worker_threads.Worker before the
 * bundle loads) and its data access object's load, which fails on request. It never calls
 * process.exit: a thread left waiting for a dataset would keep it alive until the timeout.
 */
const SCRIPT = `
const threads = require("node:worker_threads");
const path = require("node:path");
const events = [];
const Original = threads.Worker;
threads.Worker = class extends Original { constructor(file, options) { super(file, options); events.push("thread " + path.basename(String(file))); } };
const mlexp = require(process.argv[1]);
const failing = process.argv[2] === "fail";
class Logged extends mlexp.Synthetic {
  load(context) {
    events.push("load");
    if (failing) throw new Error("no data today");
    return super.load(context);
  }
}
mlexp.trainModel({ modelClass: "LogisticRegression", featureGeneratorClass: "Identity", datasetClass: Logged, datasetParams: { rows: 3000, features: 4 }, modelParams: { epochs: 1 }, workspace: process.cwd() })
  .then((run) => console.log(JSON.stringify({ events, run })), (error) => console.log(JSON.stringify({ events, error: error.message })));
`;

interface Outcome {
  events: string[];
  run?: ModelRun;
  error?: string;
}

async function trainWithBundle(workspace: string, mode: "ok" | "fail"): Promise<Outcome> {
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", SCRIPT, path.join(REPO_ROOT, "dist", "index.js"), mode], { cwd: workspace, timeout: 60_000 });
  return JSON.parse(stdout) as Outcome;
}

describe("the storing thread of a training (bundled)", () => {
  it("starts before the data loads and stores the dataset the run records (hash and summary)", async () => {
    const workspace = tempDir();
    initRepo(workspace, { "README.md": "x\n" });
    const { events, run } = await trainWithBundle(workspace, "ok");
    expect(events.indexOf("thread objectWorker.js")).toBeGreaterThanOrEqual(0);
    expect(events.indexOf("thread objectWorker.js")).toBeLessThan(events.indexOf("load"));
    expect(run?.status).toBe("finished");
    const stored = await new ObjectStore(path.join(workspace, ".mlexp", "objects")).readDataset(run?.dataset_hash as string);
    expect(stored.rowCount).toBe(3000);
    expect(run?.details.data_summary).toEqual(JSON.parse(JSON.stringify(summariseDataset(stored))));
  });

  it("ends the thread, unused, when the load fails: the process exits by itself with the load's error", async () => {
    const workspace = tempDir();
    initRepo(workspace, { "README.md": "x\n" });
    const { events, error } = await trainWithBundle(workspace, "fail");
    expect(error).toBe("no data today");
    expect(events).toEqual(["thread snapshotWorker.js", "thread objectWorker.js", "load"]);
  });
});
