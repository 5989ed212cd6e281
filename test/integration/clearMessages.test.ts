import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";
import { tempDir } from "../helpers/tempDir";

/** The last line of stderr, the one that says what went wrong. */
async function failure(args: string[], cwd: string): Promise<string> {
  const result = await runCli(args, { cwd });
  expect(result.code).toBe(1);
  return result.stderr.trim().split("\n").pop() ?? "";
}

const csvTrain = (file: string, extra: string[] = []) => ["train", "--model", "LogisticRegression", ...extra, "--dataset", "CsvFile", "--dataset-params", JSON.stringify({ path: file, target: "y" })];

describe("messages that say what is wrong", () => {
  it("a float target for a classifier: it looks continuous (not 'too few rows')", async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 200 }, (_, i) => `${i},${(i * 1.37).toFixed(2)}`);
    fs.writeFileSync(path.join(dir, "data.csv"), `a,y\n${rows.join("\n")}\n`);
    expect(await failure(csvTrain("data.csv"), dir)).toMatch(/The target column "y" has 200 distinct numbers in 200 rows \(such as .*\): it looks continuous, not like classes\. Use a regression model/);
  });

  it("deeply nested JSON, in parameters or in a data file", async () => {
    const dir = tempDir();
    const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    const params = await failure(["train", "--model", "LogisticRegression", "--dataset", "Synthetic", "--dataset-params", `{"rows": ${deep}}`], dir);
    expect(params).toMatch(/parameter "rows" must be .*, got \(a value nested too deeply to show\)\./);
    fs.writeFileSync(path.join(dir, "deep.jsonl"), `{"y": 1, "a": ${deep}}\n`);
    const file = await failure(["train", "--model", "LogisticRegression", "--dataset", "JsonLines", "--dataset-params", '{"path": "deep.jsonl", "target": "y"}'], dir);
    expect(file).toMatch(/Line 1 of "deep\.jsonl" holds a value nested too deeply to read\./);
    expect(`${params}${file}`).not.toMatch(/call stack/);
  });

  it("runs --limit takes a whole number", async () => {
    const dir = tempDir();
    expect(await failure(["runs", "--limit", "abc"], dir)).toBe('mlexp: --limit must be a whole number of runs (1 or more), got "abc". Or use --all.');
    expect(await failure(["runs", "--limit", "0"], dir)).toBe('mlexp: --limit must be a whole number of runs (1 or more), got "0". Or use --all.');
  });

  it("a missing --workspace is an error, and nothing is created there", async () => {
    const dir = tempDir();
    const missing = path.join(dir, "nope");
    for (const command of [["runs"], ["show", "20261126-000000-00000000"], ["export"], ["gc"]]) {
      expect(await failure([...command, "--workspace", missing], dir)).toMatch(new RegExp(`The workspace folder ${missing} does not exist\\. Check --workspace`));
    }
    expect(fs.existsSync(missing)).toBe(false);
  });

  it("StandardScaler on values near ±1e308 says they are too large to scale", async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 40 }, (_, i) => `${i % 2 ? "1e308" : "-1e308"},${i % 2}`);
    fs.writeFileSync(path.join(dir, "big.csv"), `a,y\n${rows.join("\n")}\n`);
    expect(await failure(csvTrain("big.csv", ["--features", "StandardScaler"]), dir)).toMatch(
      /StandardScaler: the values of column "a" \(from -1e\+308 to 1e\+308\) are too large to scale/,
    );
  });

  it("one inf in a numeric column is refused, not silently turned into categories", async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 40 }, (_, i) => `${i === 7 ? "inf" : i},${i % 2}`);
    fs.writeFileSync(path.join(dir, "inf.csv"), `a,y\n${rows.join("\n")}\n`);
    expect(await failure(csvTrain("inf.csv"), dir)).toMatch(/Column "a" of "inf\.csv" is numeric, but row 8 holds "inf", which is not a number/);
  });

  it("a 100 KB run id is not echoed back whole", async () => {
    const dir = tempDir();
    const line = await failure(["show", "a".repeat(100_000)], dir);
    expect(line).toMatch(/is not a run id/);
    expect(line.length).toBeLessThan(300);
  });
});
