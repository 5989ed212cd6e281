import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CLI, median, printTable, timeProcess } from "./timing";

const REPEATS = 3;

/**
 * Reproduction time against the original training time, both as `mlexp` commands in fresh
 * processes: the goal is within 1.2× plus a fixed cost under one second (restoring the code,
 * bundling its config, reading and verifying the stored data).
 */
export async function benchReproduction(): Promise<void> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-reproduce-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: workspace, env: { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" } });
  git("init", "-q");
  fs.writeFileSync(path.join(workspace, "mlexp.config.ts"), 'import { registerModel, LogisticRegression } from "mlexp";\nregisterModel("Mine", class Mine extends LogisticRegression {});\n');
  git("add", "-A");
  git("commit", "-qm", "bench");
  fs.writeFileSync(path.join(workspace, "notes.md"), "a dirty working tree\n");
  const cases = [
    { label: "LogisticRegression, 200k × 20", args: ["--model", "Mine", "--dataset", "Synthetic", "--dataset-params", '{"rows": 200000, "features": 20}'] },
    { label: "MLPClassifierTfjs, 20k × 10", args: ["--model", "MLPClassifierTfjs", "--model-params", '{"epochs": 5}', "--dataset", "Synthetic", "--dataset-params", '{"rows": 20000}'] },
  ];
  const rows: (string | number)[][] = [];
  for (const { label, args } of cases) {
    const trains = Array.from({ length: REPEATS }, () => timeProcess(process.execPath, [CLI, "train", "--json", ...args], workspace));
    const runId = (JSON.parse(trains[0].stdout) as { run_id: string }).run_id;
    const reproductions = Array.from({ length: REPEATS }, () => timeProcess(process.execPath, [CLI, "reproduce", runId, "--json"], workspace));
    const verdicts = new Set(reproductions.map((r) => (JSON.parse(r.stdout) as { verdict: string }).verdict));
    const train = median(trains.map((t) => t.ms));
    const reproduce = median(reproductions.map((r) => r.ms));
    rows.push([label, train, reproduce, reproduce / train, reproduce - 1.2 * train, [...verdicts].join(",")]);
  }
  printTable(
    `Reproduction against the original training (median of ${REPEATS}, fresh processes, dirty working tree)`,
    ["run", "train ms", "reproduce ms", "ratio", "ms beyond 1.2×", "verdict"],
    rows,
  );
  console.log("goal: reproduce ≤ 1.2 × train + 1000 ms");
  fs.rmSync(workspace, { recursive: true, force: true });
}

if (require.main === module) void benchReproduction();
