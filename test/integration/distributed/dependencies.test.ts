import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelRun } from "../../../src/core/index";
import { runCli, runCliJson } from "../../helpers/cli";
import { PROBE_CONFIG, repoWithRemote } from "../../helpers/distributed";
import { git } from "../../helpers/gitRepo";
import { trialsOf, useQueueWithWorkers } from "../../helpers/serverSuites";
import { tempDir } from "../../helpers/tempDir";

// User code that imports npm packages, on a worker whose machine has none of them: the snapshot's
// package.json and package-lock.json are installed with `npm ci --ignore-scripts` in the worker's
// code cache, once per lockfile. The package is a tarball the test makes with `npm pack` (no
// registry needed), referenced as a `file:` dependency.

const queue = useQueueWithWorkers();

const PACKAGE = "mlexp-probe-offset";
const TARBALL = `vendor/${PACKAGE}-1.0.0.tgz`;
/** The probe's config, failing to load unless the package is installed and is the one packed here. */
const CONFIG = `${PROBE_CONFIG}
import { offset } from "${PACKAGE}";
if (offset(1) !== 2) throw new Error("not the packed ${PACKAGE}");
`;

/** A workspace whose config imports a package from a tarball in vendor/, installed and locked. */
function workspaceWithDependency(): string {
  const { repo } = repoWithRemote();
  const source = tempDir("mlexp-package-");
  fs.writeFileSync(path.join(source, "package.json"), JSON.stringify({ name: PACKAGE, version: "1.0.0", main: "index.js" }));
  fs.writeFileSync(path.join(source, "index.js"), "exports.offset = (value) => value + 1;\n");
  fs.mkdirSync(path.join(repo, "vendor"));
  execFileSync("npm", ["pack", "--silent", "--pack-destination", path.join(repo, "vendor")], { cwd: source, stdio: "ignore" });
  fs.writeFileSync(path.join(repo, "package.json"), JSON.stringify({ name: "workspace", private: true, dependencies: { [PACKAGE]: `file:${TARBALL}` } }, null, 2));
  execFileSync("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--silent"], { cwd: repo, stdio: "ignore" });
  fs.writeFileSync(path.join(repo, "mlexp.config.ts"), CONFIG);
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "use a package");
  return repo;
}

const SEARCH = ["train", "--model", "Probe", "--model-params", '{"value": [1, 2]}', "--dataset", "Synthetic", "--dataset-params", '{"rows": 120}', "--cv", "2"];

describe("a worker running code that imports npm packages", () => {
  it("installs the snapshot's locked dependencies once per lockfile, and the trials load them", async () => {
    const repo = workspaceWithDependency();
    const cacheDir = tempDir("mlexp-cache-");
    const worker = queue.startWorker(repo, { cacheDir });
    await worker.ready();

    const first = await runCliJson<ModelRun>([...SEARCH, "--queue", queue.redis.url], repo);
    expect(first.status).toBe("finished");
    expect((await trialsOf(repo, first.run_id)).map((t) => t.status)).toEqual(["finished", "finished"]);
    expect(worker.lines.filter((l) => l.includes("installed the npm dependencies"))).toHaveLength(1);
    const firstCode = path.join(cacheDir, "git", "code", first.githash as string);
    expect(fs.readFileSync(path.join(firstCode, "node_modules", PACKAGE, "index.js"), "utf8")).toContain("value + 1");

    // Another commit, the same lockfile: no second install, its snapshot links to the first one's packages.
    fs.writeFileSync(path.join(repo, "NOTES.md"), "another commit\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "notes");
    const second = await runCliJson<ModelRun>([...SEARCH, "--queue", queue.redis.url], repo);
    expect(second.status).toBe("finished");
    expect(second.githash).not.toBe(first.githash);
    expect(worker.lines.filter((l) => l.includes("installed the npm dependencies"))).toHaveLength(1);
    const secondModules = path.join(cacheDir, "git", "code", second.githash as string, "node_modules");
    expect(fs.lstatSync(secondModules).isSymbolicLink()).toBe(true);
    expect(fs.realpathSync(secondModules)).toBe(fs.realpathSync(path.join(firstCode, "node_modules")));
    // In process and on the worker, the same scores.
    const local = await runCliJson<ModelRun>(SEARCH, repo);
    expect((await trialsOf(repo, second.run_id)).map((t) => t.score)).toEqual((await trialsOf(repo, local.run_id)).map((t) => t.score));
  });

  it("fails every trial, and the run, with npm's error when the dependencies cannot be installed", async () => {
    const repo = workspaceWithDependency();
    // package.json gains a dependency on a tarball that is nowhere: `npm ci` fails (the coordinator,
    // which has the package its config imports installed, loads it all the same).
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    manifest.dependencies["mlexp-not-locked"] = "file:vendor/mlexp-not-locked-1.0.0.tgz";
    fs.writeFileSync(path.join(repo, "package.json"), JSON.stringify(manifest, null, 2));
    git(repo, "commit", "-q", "-am", "a dependency without a lock");
    const worker = queue.startWorker(repo);
    await worker.ready();

    const result = await runCli([...SEARCH, "--queue", queue.redis.url], { cwd: repo });
    expect(result.code, result.stdout).toBe(1);
    expect(result.stderr).toMatch(/^mlexp: All 2 search trials failed\. The first failed with: Could not install the run's npm dependencies \(npm ci in \S+\): .*ENOENT: no such file or directory, open '\S+\/vendor\/mlexp-not-locked-1\.0\.0\.tgz'/m);
    const [run] = await runCliJson<ModelRun[]>(["runs"], repo);
    expect(run.status).toBe("failed");
    const trials = await trialsOf(repo, run.run_id);
    expect(trials.map((t) => t.status)).toEqual(["failed", "failed"]);
    expect(trials[0].error).toMatch(/^Could not install the run's npm dependencies .* Check that package\.json and package-lock\.json agree/);
  });
});
