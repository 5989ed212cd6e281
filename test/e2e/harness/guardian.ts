// Runs as a process of its own (started by codeServer.ts with Node 24, which strips the types),
// so that code-server dies with the test runner even when stop() never runs: Ctrl+C, SIGKILL, a
// crashed or timed-out worker. Its stdin is a pipe from the runner, and the kernel closes that
// pipe whenever the runner dies, however it dies.
//
// Usage: node --no-warnings guardian.ts <code-server pid> [folder to remove afterwards ...]

import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

type ProcessTreeModule = typeof import("./processTree");

const POLL_MS = 1_000;

function guard(tree: ProcessTreeModule, target: number, tempDirs: readonly string[]): void {
  const killTarget = (): void => {
    tree.signalAll(tree.processTree(target), "SIGKILL");
    // stop() would have removed these; nobody else will now.
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    process.exit(0);
  };
  process.stdin.on("end", killTarget);
  process.stdin.on("close", killTarget);
  process.stdin.resume();
  // Nothing left to guard once code-server is gone (the normal stop() path).
  setInterval(() => {
    if (!tree.isRunning(target)) process.exit(0);
  }, POLL_MS);
}

const target = Number(process.argv[2]);
const tempDirs = process.argv.slice(3);
if (!Number.isInteger(target) || target <= 0) {
  process.stderr.write(`guardian: expected a pid, got ${process.argv[2]}\n`);
  process.exit(2);
}
// A computed specifier: Node loads the .ts file itself, while tsc only sees the type above.
// argv[1] rather than __dirname: Node runs this file as an ES module, which has no __dirname.
import(pathToFileURL(join(dirname(process.argv[1]), "processTree.ts")).href).then(
  (tree: ProcessTreeModule) => guard(tree, target, tempDirs),
  (error: unknown) => {
    process.stderr.write(`guardian: cannot load processTree.ts: ${String(error)}\n`);
    process.exit(1);
  },
);
