import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { CsvFile } from "../../../src/core/builtins/datasets/csvFile";
import { JsonLines } from "../../../src/core/builtins/datasets/jsonLines";
import { INPUT_LIMITS, openLimitedStream } from "../../../src/core/builtins/datasets/shared/files";
import { forEachLine } from "../../../src/core/builtins/datasets/shared/lineReader";
import { SqliteQuery } from "../../../src/core/builtins/datasets/sqliteQuery";
import { errorOf, tempWorkspace } from "./helpers";

const readers = [
  ["CsvFile", (p: string) => new CsvFile({ path: p, target: "y" })],
  ["JsonLines", (p: string) => new JsonLines({ path: p, target: "y" })],
  ["SqliteQuery", (p: string) => new SqliteQuery({ path: p, query: "SELECT * FROM t", target: "y" })],
] as const;

describe("readers refuse what is not a regular file, and stop at their limits", () => {
  it.each(readers)("%s refuses /dev/zero at once instead of reading it for ever", async (name, make) => {
    const workspace = tempWorkspace();
    const error = await errorOf(() => make("/dev/zero").load(workspace.context));
    expect(error.message).toBe(`${name}: "/dev/zero" is a device, not a regular file (/dev/zero). Point "path" at a data file.`);
  });

  it.each(readers)("%s refuses a named pipe", async (name, make) => {
    const workspace = tempWorkspace();
    execFileSync("mkfifo", [path.join(workspace.dir, "pipe")]);
    const error = await errorOf(() => make("pipe").load(workspace.context));
    expect(error.message).toMatch(new RegExp(`^${name}: "pipe" is a named pipe, not a regular file`));
  });

  it.each(readers)("%s refuses a file larger than it reads into memory, before reading it", async (name, make) => {
    const workspace = tempWorkspace();
    const file = workspace.write("huge", "");
    fs.truncateSync(file, INPUT_LIMITS.maxBytes + 1); // sparse: takes no disk space
    const error = await errorOf(() => make("huge").load(workspace.context));
    expect(error.message).toMatch(new RegExp(`^${name}: "huge" is larger than 4\\.00 GiB, more than mlexp reads into memory\\.`));
  });

  it("CsvFile and JsonLines stop at a line longer than the limit, naming it", async () => {
    const workspace = tempWorkspace();
    workspace.write("long.csv", `y,a\n1,${"9".repeat(INPUT_LIMITS.maxLineBytes + 10)}\n`);
    workspace.write("long.jsonl", `{"y": 1}\n{"y": "${"a".repeat(INPUT_LIMITS.maxLineBytes + 10)}"}\n`);
    const csv = await errorOf(() => new CsvFile({ path: "long.csv", target: "y" }).load(workspace.context));
    expect(csv.message).toMatch(/^Line 2 of "long\.csv" is longer than 64\.0 MiB\./);
    const jsonl = await errorOf(() => new JsonLines({ path: "long.jsonl", target: "y" }).load(workspace.context));
    expect(jsonl.message).toMatch(/^Line 2 of "long\.jsonl" is longer than 64\.0 MiB\./);
  });

  it("CsvFile names the line of a quote opened and never closed, however long the file after it", async () => {
    const workspace = tempWorkspace();
    workspace.write("open.csv", `y,a\n1,2\n3,"${"9,\n".repeat(Math.ceil(INPUT_LIMITS.maxLineBytes / 3) + 10)}`);
    const csv = await errorOf(() => new CsvFile({ path: "open.csv", target: "y" }).load(workspace.context));
    expect(csv.message).toMatch(/^"open\.csv" has an unterminated quote: the quote opened on line 3 is never closed\. Close the quote/);
  });

  it("the line reader and the file stream stop once more bytes came than allowed (a file growing as it is read)", async () => {
    const workspace = tempWorkspace();
    const file = workspace.write("data.txt", "a\nb\nc\nd\n");
    const limits = { source: '"data.txt"', owner: "Test", maxBytes: 5, maxLineBytes: 100 };
    expect(() => forEachLine(file, () => undefined, 2, limits)).toThrow('Test: ""data.txt"" is larger than 5 B');
    await expect(text(openLimitedStream(file, "Test", "data.txt", 5))).rejects.toThrow('Test: "data.txt" is larger than 5 B');
    expect(await text(openLimitedStream(file, "Test", "data.txt", 8))).toBe("a\nb\nc\nd\n");
  });
});
