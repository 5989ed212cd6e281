import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelRun } from "../../src/core/index";
import { runCli, runCliJson } from "../helpers/cli";
import { initRepo, writeFiles } from "../helpers/gitRepo";
import { tempDir } from "../helpers/tempDir";

async function runCount(dir: string): Promise<number> {
  if (!fs.existsSync(path.join(dir, ".mlexp", "mlexp.db"))) return 0;
  return (await runCliJson<ModelRun[]>(["runs"], dir)).length;
}

/** Every failure ends with one line on stderr starting with "mlexp:" (after any warnings), exit code 1. */
function expectOneLineError(result: { code: number | null; stderr: string; stdout: string }, pattern: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe("");
  const lines = result.stderr.trim().split("\n");
  expect(lines.filter((line) => line.startsWith("mlexp: "))).toHaveLength(1);
  expect(lines.every((line) => line.startsWith("mlexp: ") || line.startsWith("warning: "))).toBe(true);
  expect(lines[lines.length - 1]).toMatch(pattern);
}

describe("bad input gives a one-line reason and writes nothing", () => {
  it.each([
    [["--model", "LogisticRegresion", "--dataset", "Synthetic"], /Unknown model "LogisticRegresion"\. Did you mean "LogisticRegression"\?.*Registered models: .*RandomForestClassifier/],
    [["--model", "LogisticRegression", "--dataset", "Synthetik"], /Unknown data access object "Synthetik"\. Did you mean "Synthetic"\?/],
    [["--model", "LogisticRegression", "--features", "Scaler", "--dataset", "Synthetic"], /Unknown feature generator "Scaler"/],
    [["--model", "LogisticRegression", "--model-params", '{"learningRate": -1}', "--dataset", "Synthetic"], /parameter "learningRate" must be greater than 0/],
    [["--model", "LogisticRegression", "--model-params", '{"epoch": 3}', "--dataset", "Synthetic"], /no parameter "epoch"\. Did you mean "epochs"\?/],
    [["--model", "LogisticRegression", "--model-params", "{epochs: 3}", "--dataset", "Synthetic"], /--model-params is not valid JSON.*Example: --model-params/],
    [["--model", "LogisticRegression", "--dataset", "Synthetic", "--metric", "rmse"], /Unknown classification metric "rmse"/],
    [["--model", "LogisticRegression", "--dataset", "Synthetic", "--seed", "abc"], /--seed must be a whole number/],
    [["--model", "LogisticRegression", "--dataset", "CsvFile"], /parameter "path" is required/],
  ])("mlexp train %j", async (args, pattern) => {
    const dir = tempDir();
    const result = await runCli(["train", ...args], { cwd: dir });
    expectOneLineError(result, pattern);
    expect(await runCount(dir)).toBe(0);
  });

  it.each([
    ["a malformed CSV", "a,b,label\n1,2,x\n3,4\n5,6,y\n", /Line 3 of "data\.csv" has 2 fields/],
    ["an empty dataset", "a,b,label\n", /data\.csv.*empty/i],
    ["a single-class target", "a,b,label\n1,2,x\n3,4,x\n5,6,x\n", /single class/],
  ])("records a run on %s as failed, with the reason", async (_what, csv, pattern) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "data.csv"), csv);
    const result = await runCli(["train", "--model", "LogisticRegression", "--dataset", "CsvFile", "--dataset-params", '{"path":"data.csv","target":"label"}'], { cwd: dir });
    expectOneLineError(result, pattern);
    const runs = await runCliJson<ModelRun[]>(["runs"], dir);
    expect(runs).toHaveLength(1);
    expect(runs[0].status).toBe("failed");
    expect(runs[0].error).toMatch(pattern);
    expect(runs[0].end_time).not.toBeNull();
  });

  it("names a missing data file with the path it looked at", async () => {
    const dir = tempDir();
    const result = await runCli(["train", "--model", "LogisticRegression", "--dataset", "CsvFile", "--dataset-params", '{"path":"nope.csv","target":"y"}'], { cwd: dir });
    expectOneLineError(result, new RegExp(`${dir}/nope\\.csv`));
  });

  it("trains outside git with a warning and a null githash", async () => {
    const dir = tempDir();
    const result = await runCli(["train", "--json", "--model", "LogisticRegression", "--dataset", "Synthetic", "--dataset-params", '{"rows": 100}'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: .* is not in a git repository/);
    const run = JSON.parse(result.stdout) as ModelRun;
    expect(run.githash).toBeNull();
    expect(run.dirty).toBeNull();
  });

  it("explains a broken mlexp.config.ts with the file and line", async () => {
    const dir = tempDir();
    initRepo(dir);
    writeFiles(dir, { "mlexp.config.ts": 'import { registerModel } from "mlexp";\nregisterModel("X", 42 as never);\n' });
    expectOneLineError(await runCli(["list"], { cwd: dir }), /Could not load mlexp\.config\.ts: Cannot register 42 as the model "X": it does not extend Model/);
    writeFiles(dir, { "mlexp.config.ts": "const = 1;\n" });
    expectOneLineError(await runCli(["list"], { cwd: dir }), /Could not load mlexp\.config\.ts: .*mlexp\.config\.ts:1:\d+: /);
  });

  it("refuses unknown and malformed run ids", async () => {
    const dir = tempDir();
    expectOneLineError(await runCli(["show", "20261126-000000-00000000"], { cwd: dir }), /No run "20261126-000000-00000000"/);
    expectOneLineError(await runCli(["show", "../../etc/passwd"], { cwd: dir }), /is not a run id/);
  });

  it("refuses to touch a corrupted database, and rebuilds it from the manifests", async () => {
    const dir = tempDir();
    const run = await runCliJson<ModelRun>(["train", "--model", "LogisticRegression", "--dataset", "Synthetic", "--dataset-params", '{"rows": 100}'], dir);
    const db = path.join(dir, ".mlexp", "mlexp.db");
    fs.writeFileSync(db, "this is not a database, it is a text file of some length ".repeat(100));
    const before = fs.readFileSync(db);
    expectOneLineError(await runCli(["runs"], { cwd: dir }), /run database .*mlexp\.db is corrupted.*mlexp db rebuild/);
    expectOneLineError(await runCli(["train", "--model", "LogisticRegression", "--dataset", "Synthetic"], { cwd: dir }), /corrupted/);
    expect(fs.readFileSync(db)).toEqual(before);
    const rebuilt = await runCliJson<{ runs: number; keptAside: string }>(["db", "rebuild"], dir);
    expect(rebuilt.runs).toBe(1);
    const runs = await runCliJson<ModelRun[]>(["runs"], dir);
    expect(runs.map((r) => r.run_id)).toContain(run.run_id);
    expect(fs.readFileSync(rebuilt.keptAside)).toEqual(before);
  });
});
