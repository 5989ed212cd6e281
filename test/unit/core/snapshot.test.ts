import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { checkoutRun } from "../../../src/core/git/checkout";
import { materialiseCommit } from "../../../src/core/git/materialise";
import { snapshotWorkingTree } from "../../../src/core/git/snapshot";
import type { ModelRun } from "../../../src/core/store/runRecord";
import { git, initRepo, repositoryState, writeFiles } from "../../helpers/gitRepo";
import { tempDir } from "../../helpers/tempDir";

const RUN = "20261126-070000-0a1b2c3d";

describe("code snapshot", () => {
  it("captures staged, unstaged and untracked changes without touching status, index, HEAD, branches or stash", async () => {
    const repo = tempDir();
    initRepo(repo, { "model.ts": "v1\n", "staged.ts": "s1\n", ".gitignore": "ignored.txt\n" });
    writeFiles(repo, { "staged.ts": "s2\n" });
    git(repo, "add", "staged.ts");
    writeFiles(repo, { "model.ts": "v2 unstaged\n", "new/untracked.ts": "untracked\n", "ignored.txt": "secret\n" });
    const before = repositoryState(repo);

    const snapshot = await snapshotWorkingTree(repo, RUN);

    expect(repositoryState(repo)).toEqual(before);
    expect(snapshot?.dirty).toBe(true);
    expect(snapshot?.commit).not.toBe(snapshot?.baseCommit);
    const commit = snapshot?.commit as string;
    expect(git(repo, "show", `${commit}:model.ts`)).toBe("v2 unstaged\n");
    expect(git(repo, "show", `${commit}:staged.ts`)).toBe("s2\n");
    expect(git(repo, "show", `${commit}:new/untracked.ts`)).toBe("untracked\n");
    expect(() => git(repo, "show", `${commit}:ignored.txt`)).toThrow();
    expect(git(repo, "rev-parse", `${commit}^`).trim()).toBe(snapshot?.baseCommit);
    expect(git(repo, "rev-parse", `refs/mlexp/runs/${RUN}`).trim()).toBe(commit);
  });

  it("uses HEAD for a clean tree and still pins it under a hidden ref", async () => {
    const repo = tempDir();
    initRepo(repo, { "a.ts": "a\n" });
    const snapshot = await snapshotWorkingTree(repo, RUN);
    expect(snapshot).toMatchObject({ dirty: false, workspacePath: "", skippedLargeFiles: [] });
    expect(snapshot?.commit).toBe(git(repo, "rev-parse", "HEAD").trim());
    expect(git(repo, "for-each-ref", "refs/mlexp").trim()).toContain(`refs/mlexp/runs/${RUN}`);
  });

  it("leaves out untracked files over the size limit and names them", async () => {
    const repo = tempDir();
    initRepo(repo, { "a.ts": "a\n" });
    writeFiles(repo, { "data/big.csv": "x".repeat(2000), "small.ts": "s\n" });
    const snapshot = await snapshotWorkingTree(path.join(repo), RUN, 1000);
    expect(snapshot?.skippedLargeFiles).toEqual(["data/big.csv"]);
    expect(git(repo, "ls-tree", "-r", "--name-only", snapshot?.commit as string).split("\n")).toEqual(["a.ts", "small.ts", ""]);
  });

  it("records where the workspace sits inside the repository", async () => {
    const repo = tempDir();
    initRepo(repo, { "ws/mlexp.config.ts": "\n" });
    expect((await snapshotWorkingTree(path.join(repo, "ws"), RUN))?.workspacePath).toBe("ws");
  });

  it("returns undefined outside a git repository", async () => {
    expect(await snapshotWorkingTree(tempDir(), RUN)).toBeUndefined();
  });

  it("materialises a snapshot in a separate folder without changing the working tree", async () => {
    const repo = tempDir();
    initRepo(repo, { "a.ts": "old\n" });
    writeFiles(repo, { "a.ts": "dirty\n" });
    const snapshot = await snapshotWorkingTree(repo, RUN);
    writeFiles(repo, { "a.ts": "newer\n" });
    const before = repositoryState(repo);
    const folder = await materialiseCommit(repo, snapshot?.commit as string, path.join(repo, ".cache"));
    expect(fs.readFileSync(path.join(folder, "a.ts"), "utf8")).toBe("dirty\n");
    fs.rmSync(path.join(repo, ".cache"), { recursive: true });
    expect(repositoryState(repo)).toEqual(before);
  });
});

describe("checkout of a run's code", () => {
  const runAt = (githash: string): ModelRun => ({ run_id: RUN, githash, workspace_path: "" }) as ModelRun;

  it("refuses when tracked files have uncommitted changes, and checks out otherwise", async () => {
    const repo = tempDir();
    initRepo(repo, { "a.ts": "one\n" });
    const first = git(repo, "rev-parse", "HEAD").trim();
    writeFiles(repo, { "a.ts": "two\n" });
    git(repo, "commit", "-qam", "second");
    writeFiles(repo, { "a.ts": "uncommitted\n" });
    await expect(checkoutRun(repo, runAt(first))).rejects.toThrow(/uncommitted changes \(a\.ts\)/);
    expect(fs.readFileSync(path.join(repo, "a.ts"), "utf8")).toBe("uncommitted\n");
    git(repo, "checkout", "--", "a.ts");
    const result = await checkoutRun(repo, runAt(first), { branch: true });
    expect(result).toEqual({ commit: first, branch: `mlexp/${RUN}` });
    expect(git(repo, "rev-parse", "HEAD").trim()).toBe(first);
    expect(git(repo, "branch", "--show-current").trim()).toBe(`mlexp/${RUN}`);
  });

  it("rejects a githash that is not a hash before it reaches git", async () => {
    const repo = tempDir();
    initRepo(repo);
    await expect(checkoutRun(repo, runAt("--upload-pack=evil"))).rejects.toThrow(/is not a git commit hash/);
  });
});
