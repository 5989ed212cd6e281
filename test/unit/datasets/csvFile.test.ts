import { describe, expect, it } from "vitest";
import { CsvFile } from "../../../src/core/builtins/datasets/csvFile";
import { errorOf, tempWorkspace, valuesOf } from "./helpers";

async function loadCsv(content: string, params: Record<string, unknown> = {}) {
  const workspace = tempWorkspace();
  workspace.write("data.csv", content);
  return new CsvFile({ path: "data.csv", target: "y", ...params }).load(workspace.context);
}

async function csvError(content: string, params: Record<string, unknown> = {}) {
  return errorOf(() => loadCsv(content, params));
}

describe("CsvFile", () => {
  it("reads numeric and text columns, with empty fields as missing values", async () => {
    const data = await loadCsv("a,b,color,y\n1,2.5,red,0\n2,,blue,1\n3,4,,0\n");
    expect(data.target).toBe("y");
    expect(data.rowCount).toBe(3);
    expect(data.columns.map((c) => `${c.name}:${c.kind}`)).toEqual(["a:number", "b:number", "color:string", "y:number"]);
    expect(valuesOf(data.column("a"))).toEqual([1, 2, 3]);
    expect(valuesOf(data.column("b"))).toEqual([2.5, NaN, 4]);
    expect(valuesOf(data.column("color"))).toEqual(["red", "blue", null]);
  });

  it("keeps a column as text when one value is not a number, with its original spelling", async () => {
    const data = await loadCsv("code,y\n007,1\n1.50,0\nA12,1\n");
    expect(data.column("code").kind).toBe("string");
    expect(valuesOf(data.column("code"))).toEqual(["007", "1.50", "A12"]);
  });

  describe("a numeric column with a cell that is not a number", () => {
    // Row 8 of 20,000 holds a typo, as in the report that one-hot encoded the whole column.
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i === 7 ? "9-0.297" : (i % 100) / 10},${i % 3 === 0 ? "a" : "b"},${i % 2}`);
    const content = `x,kind,y\n${rows.join("\n")}\n`;

    it("names the column and the row by default", async () => {
      const error = await csvError(content);
      expect(error.message.startsWith('Column "x" of "data.csv" is numeric, but row 8 holds "9-0.297", which is not a number. ')).toBe(true);
      expect(error.hint).toMatch(/invalidNumbers to "missing".*"drop".*"text"/);
    });

    it('reads it as missing with invalidNumbers "missing"', async () => {
      const data = await loadCsv(content, { invalidNumbers: "missing" });
      expect(data.column("x").kind).toBe("number");
      expect(data.rowCount).toBe(20_000);
      expect(valuesOf(data.column("x")).slice(6, 9)).toEqual([0.6, NaN, 0.8]);
    });

    it('drops its row with invalidNumbers "drop"', async () => {
      const data = await loadCsv(content, { invalidNumbers: "drop" });
      expect(data.rowCount).toBe(19_999);
      expect(valuesOf(data.column("x")).slice(6, 8)).toEqual([0.6, 0.8]);
      expect(valuesOf(data.column("kind")).slice(6, 8)).toEqual(["a", "b"]);
    });

    it('makes the column text with invalidNumbers "text", as before', async () => {
      const data = await loadCsv(content, { invalidNumbers: "text" });
      expect(data.column("x").kind).toBe("string");
      expect(valuesOf(data.column("x")).slice(6, 9)).toEqual(["0.6", "9-0.297", "0.8"]);
    });

    it("counts further cells and columns in the message", async () => {
      const more = content.replace("\n0.5,", "\nn/a,").replace("\n0.1,b,1", "\n0.1,b,?");
      const error = await csvError(more);
      expect(error.message).toMatch(/^Column "x" of "data.csv" is numeric, but row 6 holds "n\/a", which is not a number \(and 1 more such cell\); 1 other column has such cells too\. /);
    });

    it("stays text when many values are not numbers", async () => {
      const mixed = `x,y\n${Array.from({ length: 1000 }, (_, i) => `${i % 10 === 0 ? `id${i}` : i},0`).join("\n")}\n`;
      const data = await loadCsv(mixed);
      expect(data.column("x").kind).toBe("string");
      expect(valuesOf(data.column("x")).slice(0, 2)).toEqual(["id0", "1"]);
    });
  });

  it("handles quoted fields with delimiters, newlines and escaped quotes, a BOM and CRLF", async () => {
    const data = await loadCsv('\uFEFFtext,y\r\n"a, b",1\r\n"two\nlines",2\r\n"say ""hi""",3\r\n');
    expect(valuesOf(data.column("text"))).toEqual(["a, b", "two\nlines", 'say "hi"']);
    expect(valuesOf(data.column("y"))).toEqual([1, 2, 3]);
  });

  it("trims unquoted whitespace and skips blank lines", async () => {
    const data = await loadCsv("a , color,y\n 1 , red ,0\n\n2,  blue,1\n\n");
    expect(data.columns.map((c) => c.name)).toEqual(["a", "color", "y"]);
    expect(valuesOf(data.column("color"))).toEqual(["red", "blue"]);
    expect(data.rowCount).toBe(2);
  });

  it("uses another delimiter when told", async () => {
    const semicolon = await loadCsv("a;b;y\n1,5;x;0\n", { delimiter: ";" });
    expect(valuesOf(semicolon.column("a"))).toEqual(["1,5"]);
    const tab = await loadCsv("a\tb\ty\n1\t2\t3\n", { delimiter: "\t" });
    expect(valuesOf(tab.column("b"))).toEqual([2]);
  });

  it("keeps only the requested columns plus the target, in file order", async () => {
    const data = await loadCsv("a,b,c,y\n1,2,3,4\n", { columns: ["c", "a"] });
    expect(data.columns.map((c) => c.name)).toEqual(["a", "c", "y"]);
  });

  it("resolves relative paths against the workspace and accepts absolute ones", async () => {
    const workspace = tempWorkspace();
    const file = workspace.write("sub/dir/data.csv", "a,y\n1,2\n");
    const relative = await new CsvFile({ path: "sub/dir/data.csv", target: "y" }).load(workspace.context);
    const absolute = await new CsvFile({ path: file, target: "y" }).load(workspace.context);
    expect(valuesOf(relative.column("a"))).toEqual([1]);
    expect(valuesOf(absolute.column("a"))).toEqual([1]);
  });

  it("streams a file larger than one read chunk without losing or splitting rows", async () => {
    const rows = Array.from({ length: 30000 }, (_, i) => `${i},${i % 3 === 0 ? "" : i * 0.5},cat${i % 7},${i % 2}`);
    const data = await loadCsv(`id,half,kind,y\n${rows.join("\n")}\n`);
    expect(data.rowCount).toBe(30000);
    const ids = data.column("id").values as Float64Array;
    expect(ids[0]).toBe(0);
    expect(ids[29999]).toBe(29999);
    expect(ids.reduce((sum, v) => sum + v, 0)).toBe((29999 * 30000) / 2);
    expect(Number.isNaN((data.column("half").values as Float64Array)[3])).toBe(true);
    expect(new Set(valuesOf(data.column("kind"))).size).toBe(7);
  });

  describe("errors", () => {
    it("a missing file: shows where it looked and that paths are relative to the workspace", async () => {
      const workspace = tempWorkspace();
      const error = await errorOf(() => new CsvFile({ path: "nope/data.csv", target: "y" }).load(workspace.context));
      expect(error.code).toBe("invalid_params");
      expect(error.message).toContain('"nope/data.csv"');
      expect(error.message).toContain(`${workspace.dir}/nope/data.csv`);
      expect(error.message).toMatch(/relative to the workspace/);
    });

    it("a row with the wrong number of fields: names the file and the line", async () => {
      const error = await csvError("a,b,y\n1,2,3\n4,5\n6,7,8\n");
      expect(error.code).toBe("invalid_data");
      expect(error.message).toContain("Line 3 of \"data.csv\" has 2 fields but the header has 3");
      expect(error.message).toMatch(/missing or extra delimiter/);
    });

    it("an unterminated quote: names the file and the line where the quote opens", async () => {
      const error = await csvError('a,b,y\n1,2,3\n4,"5,6\n7,8,9\n');
      expect(error.message).toContain('"data.csv" has an unterminated quote');
      expect(error.message).toContain("opened on line 3");
      expect(error.message).toMatch(/Close the quote/);
    });

    it("a header with an empty name", async () => {
      const error = await csvError("a,,y\n1,2,3\n");
      expect(error.message).toContain('header row of "data.csv" has no name for column 2');
      expect(error.message).toMatch(/name every column/);
    });

    it("a header naming a column twice", async () => {
      const error = await csvError("a,b,a,y\n1,2,3,4\n");
      expect(error.message).toContain('names the column "a" twice (columns 1 and 3)');
      expect(error.message).toMatch(/Rename one/);
    });

    it("a header without data rows, and an empty file: the dataset is empty", async () => {
      expect((await csvError("a,b,y\n")).message).toContain('"data.csv" has a header but no data rows: the dataset is empty');
      expect((await csvError("")).message).toContain('"data.csv" is empty');
    });

    it("a target that is not a column: names the file and suggests the closest name", async () => {
      const error = await csvError("a,Y\n1,2\n");
      expect(error.message).toContain('The target column "y" is not in "data.csv". Did you mean "Y"?');
      expect(error.message).toContain("Its columns are: a, Y");
    });

    it("a requested column that does not exist: names the file and suggests the closest name", async () => {
      const error = await csvError("alpha,beta,y\n1,2,3\n", { columns: ["alpah"] });
      expect(error.code).toBe("invalid_params");
      expect(error.message).toContain('"alpah", which is not a column of "data.csv". Did you mean "alpha"?');
    });

    it("a columns list that keeps nothing but the target", async () => {
      const error = await csvError("a,y\n1,2\n", { columns: ["y"] });
      expect(error.message).toMatch(/keeps no feature column of "data.csv"/);
    });

    it("an empty delimiter is refused when the component is created", async () => {
      const error = await errorOf(() => new CsvFile({ path: "x.csv", target: "y", delimiter: "" }));
      expect(error.code).toBe("invalid_params");
      expect(error.message).toMatch(/"delimiter" is empty/);
    });

    it("a cancelled load stops with a cancelled error", async () => {
      const controller = new AbortController();
      controller.abort();
      const workspace = tempWorkspace({ signal: controller.signal });
      workspace.write("data.csv", "a,y\n1,2\n");
      const error = await errorOf(() => new CsvFile({ path: "data.csv", target: "y" }).load(workspace.context));
      expect(error.code).toBe("cancelled");
    });
  });
});
