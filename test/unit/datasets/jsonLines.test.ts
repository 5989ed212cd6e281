import { describe, expect, it } from "vitest";
import { JsonLines } from "../../../src/core/builtins/datasets/jsonLines";
import { errorOf, tempWorkspace, valuesOf } from "./helpers";

function loadJsonl(content: string, params: Record<string, unknown> = {}) {
  const workspace = tempWorkspace();
  workspace.write("rows.jsonl", content);
  return new JsonLines({ path: "rows.jsonl", target: "y", ...params }).load(workspace.context);
}

function jsonlError(content: string, params: Record<string, unknown> = {}) {
  return errorOf(() => loadJsonl(content, params));
}

describe("JsonLines", () => {
  it("takes the union of keys in order of first appearance; absent keys and null are missing", () => {
    const data = loadJsonl('{"a": 1, "color": "red", "y": 0}\n{"a": 2.5, "size": 3, "y": 1}\n{"color": null, "y": 1}\n');
    expect(data.columns.map((c) => `${c.name}:${c.kind}`)).toEqual(["a:number", "color:string", "y:number", "size:number"]);
    expect(valuesOf(data.column("a"))).toEqual([1, 2.5, NaN]);
    expect(valuesOf(data.column("color"))).toEqual(["red", null, null]);
    expect(valuesOf(data.column("size"))).toEqual([NaN, 3, NaN]);
  });

  it("reads booleans as 1/0, numeric texts as numbers and nested values as JSON text", () => {
    const data = loadJsonl('{"flag": true, "n": "4", "tags": ["a", "b"], "y": 0}\n{"flag": false, "n": 5, "tags": {"k": 1}, "y": 1}\n');
    expect(valuesOf(data.column("flag"))).toEqual([1, 0]);
    expect(valuesOf(data.column("n"))).toEqual([4, 5]);
    expect(valuesOf(data.column("tags"))).toEqual(['["a","b"]', '{"k":1}']);
  });

  it("skips blank lines and handles CRLF and a missing final newline", () => {
    const data = loadJsonl('\n{"a": 1, "y": 0}\r\n   \r\n{"a": 2, "y": 1}');
    expect(data.rowCount).toBe(2);
    expect(valuesOf(data.column("a"))).toEqual([1, 2]);
  });

  it("keeps only the requested keys plus the target", () => {
    const data = loadJsonl('{"a": 1, "b": 2, "c": 3, "y": 0}\n', { columns: ["b"] });
    expect(data.columns.map((c) => c.name)).toEqual(["b", "y"]);
  });

  describe("errors", () => {
    it("a malformed line: names the file and the line", async () => {
      const error = await jsonlError('{"a": 1, "y": 0}\n\n{"a": 2, "y": 1\n');
      expect(error.code).toBe("invalid_data");
      expect(error.message).toContain('Line 3 of "rows.jsonl" is not valid JSON');
      expect(error.message).toMatch(/one JSON object/);
    });

    it("a line that is not an object: says what it is", async () => {
      expect((await jsonlError('{"a": 1, "y": 0}\n[1, 2]\n')).message).toContain('Line 2 of "rows.jsonl" is an array, not a JSON object');
      expect((await jsonlError("42\n")).message).toContain("Line 1 of \"rows.jsonl\" is a number, not a JSON object");
      expect((await jsonlError("null\n")).message).toContain("is null, not a JSON object");
    });

    it("a file without objects: the dataset is empty", async () => {
      expect((await jsonlError("\n\n")).message).toContain('"rows.jsonl" has no JSON objects: the dataset is empty');
    });

    it("a target that is no key: names the file and suggests the closest key", async () => {
      const error = await jsonlError('{"a": 1, "labels": 0}\n', { target: "label" });
      expect(error.message).toContain('The target column "label" is not in "rows.jsonl". Did you mean "labels"?');
      expect(error.message).toContain("Its columns are: a, labels");
    });

    it("a missing file: shows the resolved path", async () => {
      const workspace = tempWorkspace();
      const error = await errorOf(() => new JsonLines({ path: "missing.jsonl", target: "y" }).load(workspace.context));
      expect(error.message).toContain(`${workspace.dir}/missing.jsonl`);
      expect(error.message).toMatch(/relative to the workspace/);
    });
  });
});
