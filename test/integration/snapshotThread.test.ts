import * as fs from "node:fs";
import * as path from "node:path";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import type { CodeSnapshot } from "../../src/core/git/snapshot";
import { snapshotWorkingTree } from "../../src/core/git/snapshot";
import { REPO_ROOT } from "../helpers/cli";
import { git, initRepo, repositoryState, writeFiles } from "../helpers/gitRepo";
import { tempDir } from "../helpers/tempDir";

type SnapshotInBackground = (workspace: string, runId: string, maxUntrackedBytes: number) => Promise<CodeSnapshot | undefined>;

/**
 * The code snapshot taken on its own thread, as bundled builds take it (from source it runs on the
 * calling thread, so the thread is only exercised by a bundle): the module and its worker bundled
 * side by side, as esbuild.js puts them in dist/.
 */
let snapshotInBackground: SnapshotInBackground;

beforeAll(async () => {
  const out = tempDir();
  await build({
    entryPoints: [
      { in: path.join(REPO_ROOT, "src/core/git/snapshotThread.ts"), out: "snapshotThread" },
      { in: path.join(REPO_ROOT, "src/core/git/snapshotWorker.ts"), out: "snapshotWorker" },
    ],
    outdir: out,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    logLevel: "silent",
  });
  expect(fs.existsSync(path.join(out, "snapshotWorker.js"))).toBe(true);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  snapshotInBackground = (require(path.join(out, "snapshotThread.js")) as { snapshotInBackground: SnapshotInBackground }).snapshotInBackground;
});

describe("code snapshot on its own thread", () => {
  it("records the same tree as on the calling thread, pins it under the run's ref, and leaves the repository as it was", async () => {
    const repo = tempDir();
    initRepo(repo, { "model.ts": "v1\n", ".gitignore": "ignored.txt\n" });
    writeFiles(repo, { "model.ts": "v2\n", "new/untracked.ts": "untracked\n", "ignored.txt": "secret\n", "big.bin": "x".repeat(2048) });
    const before = repositoryState(repo);

    const threaded = await snapshotInBackground(repo, "20261129-140000-0a1b2c3d", 1024);
    const here = await snapshotWorkingTree(repo, "20261129-140000-0a1b2c3e", 1024);

    expect(repositoryState(repo)).toEqual(before);
    expect(threaded?.dirty).toBe(true);
    expect(threaded?.skippedLargeFiles).toEqual(["big.bin"]);
    expect(threaded?.baseCommit).toBe(git(repo, "rev-parse", "HEAD").trim());
    expect(git(repo, "rev-parse", `${threaded?.commit}^{tree}`)).toBe(git(repo, "rev-parse", `${here?.commit}^{tree}`));
    expect(git(repo, "show", `${threaded?.commit}:new/untracked.ts`)).toBe("untracked\n");
    expect(git(repo, "rev-parse", "refs/mlexp/runs/20261129-140000-0a1b2c3d").trim()).toBe(threaded?.commit);
  });

  it("answers undefined outside a git repository", async () => {
    const folder = tempDir();
    expect(await snapshotInBackground(folder, "20261129-140000-0a1b2c3d", 1024)).toBeUndefined();
  });

  it("passes the snapshot's error on with its code: a run id that is not one never reaches git", async () => {
    const repo = tempDir();
    initRepo(repo, { "a.ts": "a\n" });
    const failure = await snapshotInBackground(repo, "../../HEAD", 1024).then(
      () => undefined,
      (error: unknown) => error as { message: string; code?: string },
    );
    expect(failure?.code).toBe("invalid_run_id");
    expect(failure?.message).toContain('"../../HEAD" is not a run id.');
    expect(git(repo, "for-each-ref", "refs/mlexp").trim()).toBe("");
  });
});
