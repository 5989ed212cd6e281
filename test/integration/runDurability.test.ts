import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelRun } from "../../src/core/index";
import { CLI } from "../helpers/cli";
import { initRepo } from "../helpers/gitRepo";
import { tempDir } from "../helpers/tempDir";

/** Every file or folder a process and its children flushed with fsync/fdatasync, in order (from strace's -y paths). */
function flushedPaths(log: string): string[] {
  return [...log.matchAll(/\b(?:fsync|fdatasync)\(\d+<([^>]+)>\)\s+=\s+0/g)].map((match) => match[1]);
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe("a finished run's files are on disk before the run is recorded as finished", () => {
  it("flushes the model's files, features.json, target.json and their folders, then run.json (seen by strace on a real mlexp train)", () => {
    // strace is installed by .ci/run (apt-get); it shows the real system calls, with the path of each flushed descriptor.
    expect(spawnSync("strace", ["-V"]).status, "strace must be installed (apt-get install strace)").toBe(0);
    const dir = tempDir();
    initRepo(dir, { ".gitignore": "node_modules\n" });
    const log = path.join(tempDir(), "strace.log");
    const params = JSON.stringify({ rows: 300, features: 4, seed: 3 });
    const result = spawnSync("strace", ["-f", "-y", "-qq", "-e", "trace=fsync,fdatasync", "-o", log, process.execPath, CLI, "train", "--model", "LogisticRegression", "--dataset", "Synthetic", "--dataset-params", params, "--json"], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(result.status, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout) as ModelRun;
    const runDir = listFiles(path.join(dir, ".mlexp"))
      .map((file) => path.dirname(file))
      .find((folder) => path.basename(folder) === run.run_id) as string;
    expect(runDir).toBeDefined();
    const flushed = flushedPaths(fs.readFileSync(log, "utf8")).map((file) => fs.realpathSync.native(path.dirname(file)) + path.sep + path.basename(file));
    const real = fs.realpathSync.native(runDir);
    const lastManifest = flushed.map((file) => file.startsWith(path.join(real, "run.json."))).lastIndexOf(true);
    expect(lastManifest).toBeGreaterThan(0);
    const before = flushed.slice(0, lastManifest);
    const modelFiles = listFiles(path.join(real, "model"));
    expect(modelFiles.length).toBeGreaterThan(0);
    for (const file of modelFiles) expect(before).toContain(file);
    expect(before).toContain(path.join(real, "model"));
    expect(before).toContain(real);
    for (const name of ["features.json", "target.json"]) expect(before.some((file) => file.startsWith(path.join(real, `${name}.`)) && file.endsWith(".tmp"))).toBe(true);
  });
});
