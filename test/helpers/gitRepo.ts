import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** Runs git in `dir` with a fixed identity and returns its output. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, GIT_AUTHOR_NAME: "Test", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "Test", GIT_COMMITTER_EMAIL: "t@example.com" },
  });
}

/** A new repository on branch main with `files` committed. */
export function initRepo(dir: string, files: Record<string, string> = {}): void {
  git(dir, "init", "-q", "-b", "main");
  writeFiles(dir, files);
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "--allow-empty", "-m", "initial");
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
}

/** Everything a run must leave untouched in a repository: status, index, HEAD, branches, stash. */
export function repositoryState(dir: string): Record<string, string> {
  return {
    status: git(dir, "status", "--porcelain=v1", "--untracked-files=all"),
    index: fs.readFileSync(path.join(dir, ".git", "index")).toString("base64"),
    head: fs.readFileSync(path.join(dir, ".git", "HEAD"), "utf8") + git(dir, "rev-parse", "HEAD"),
    branches: git(dir, "branch", "--list", "-v", "--no-abbrev"),
    stash: git(dir, "stash", "list"),
  };
}
