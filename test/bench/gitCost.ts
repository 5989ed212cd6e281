import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { snapshotWorkingTree } from "../../src/core/git/snapshot";
import { median, printTable, timeIt } from "./timing";

const REPEATS = 15;

/**
 * A run's git cost: the code snapshot `mlexp train` takes (find the repository, HEAD, status, and
 * on a dirty tree read-tree, add, write-tree, commit-tree; then update-ref), through the git layer
 * (simple-git, with bare execFile for the commands that print nothing) against the same commands
 * all by bare execFile, as the layer was before simple-git came back. Goal: within 5 ms.
 */
export async function benchGitCost(): Promise<void> {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-git-"));
  const gitEnv = { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" };
  execFileSync("git", ["init", "-q"], { cwd: repo });
  for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(repo, `file${i}.ts`), `export const x${i} = ${i};\n`.repeat(50));
  execFileSync("git", ["add", "-A"], { cwd: repo });
  execFileSync("git", ["commit", "-qm", "initial"], { cwd: repo, env: gitEnv });
  const rows: (string | number)[][] = [];
  for (const state of ["clean", "dirty"] as const) {
    if (state === "dirty") fs.writeFileSync(path.join(repo, "file3.ts"), "export const changed = 1;\n");
    let n = 0;
    const layer: number[] = [];
    const bare: number[] = [];
    // Interleaved, so that the machine's load falls on both alike.
    for (let i = 0; i < REPEATS; i++) {
      layer.push((await timeIt(() => snapshotWorkingTree(repo, `20260101-000000-${(n++).toString(16).padStart(8, "0")}`))).ms);
      bare.push((await timeIt(() => bareSnapshot(repo, `refs/mlexp/bench/${n++}`))).ms);
    }
    const difference = median(layer) - median(bare);
    rows.push([state, median(bare), median(layer), `${difference >= 0 ? "+" : ""}${difference.toFixed(1)} ms`, difference <= 5 ? "yes" : "NO"]);
  }
  printTable(`A run's git cost: code snapshot through the git layer vs all bare execFile (median of ${REPEATS}, ms; goal: within 5 ms)`, ["tree", "bare execFile", "git layer (simple-git)", "difference", "within 5 ms"], rows);
  fs.rmSync(repo, { recursive: true, force: true });
}

function run(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile("git", args, { cwd, env: { ...env, GIT_AUTHOR_NAME: "m", GIT_AUTHOR_EMAIL: "m@m", GIT_COMMITTER_NAME: "m", GIT_COMMITTER_EMAIL: "m@m" } }, (error, stdout) =>
      error ? reject(error) : resolve(stdout.trim()),
    ),
  );
}

/** The snapshot's git commands, each a bare execFile (the baseline). */
async function bareSnapshot(dir: string, ref: string): Promise<void> {
  // Asked at once from the folder, as the layer does.
  const [top, base, status] = await Promise.all([
    run(dir, ["rev-parse", "--show-toplevel"]),
    run(dir, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]),
    run(dir, ["--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=all"]),
  ]);
  let commit = base;
  if (status.length > 0) {
    const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-index-"));
    const env = { ...process.env, GIT_INDEX_FILE: path.join(indexDir, "index") };
    await run(top, ["read-tree", base], env);
    await run(top, ["add", "--all", "--", ":/"], env);
    const tree = await run(top, ["write-tree"], env);
    commit = await run(top, ["commit-tree", tree, "-p", base, "-m", "bench"], env);
    fs.rmSync(indexDir, { recursive: true, force: true });
  }
  await run(top, ["update-ref", ref, commit]);
}
