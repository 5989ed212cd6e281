import { describe, expect, it } from "vitest";
import { CsvFile } from "../../../src/core/builtins/datasets/csvFile";
import { ColumnBuilder } from "../../../src/core/builtins/datasets/shared/columnBuilder";
import { readCsvFast, type FastCsvSink } from "../../../src/core/builtins/datasets/shared/fastCsv";
import type { Dataset } from "../../../src/core/data/dataset";
import { Rng } from "../../../src/core/util/random";
import { tempWorkspace } from "./helpers";

/**
 * Differential tests of the lean path's quoting against csv-parse's path (the reference: what
 * CsvFile gave before), on generated files of the kinds practitioners have: R's write.csv (quoted
 * header and text), pandas/Excel QUOTE_ALL and QUOTE_NONNUMERIC, text holding delimiters, doubled
 * quotes and line breaks, CRLF, a BOM, spaces around quotes, blank lines; then malformed files.
 */

type Outcome = { kinds: string[]; values: unknown[][] } | { error: string };

async function outcome(load: () => Promise<Dataset>): Promise<Outcome> {
  try {
    const data = await load();
    return { kinds: data.columns.map((c) => `${c.name}:${c.kind}`), values: data.columns.map((c) => Array.from(c.values as ArrayLike<unknown>)) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Loads a file by the lean path (with the given block size) and by csv-parse's path. */
async function bothWays(content: string | Buffer, params: Record<string, unknown>, leanBlockBytes?: number) {
  const workspace = tempWorkspace();
  const file = workspace.write("data.csv", content);
  const lean = new CsvFile({ path: "data.csv", target: "y", ...params });
  if (leanBlockBytes) lean.leanBlockBytes = leanBlockBytes;
  const general = new CsvFile({ path: "data.csv", target: "y", ...params });
  general.generalParserOnly = true;
  return { file, lean: await outcome(() => lean.load(workspace.context)), general: await outcome(() => general.load(workspace.context)) };
}

/** True when the lean path read the whole file itself (it did not hand it to csv-parse). */
async function leanReads(file: string, delimiter = ","): Promise<boolean> {
  const builders: ColumnBuilder[] = [];
  const sink: FastCsvSink = {
    builders,
    headerRead: (names) => builders.push(...names.map((name) => new ColumnBuilder(name, true))),
    rowRead: () => undefined,
  };
  return readCsvFast(file, delimiter, { source: "data.csv", given: "data.csv" }, sink, undefined, 97);
}

const TEXTS = ["plain", "a, b", 'say ""hi""', "two\nlines", "crlf\r\ninside", "  padded  ", "", "é ünï ☃", "semi;colon", "tab\there", '""', "1.5", " 7 ", "NA"];

/** One cell: its written form, quoted or not as the file's writer would. */
function cell(rng: Rng, kind: string, style: Style, delimiter: string): string {
  if (kind === "text") return textCell(rng, style, delimiter);
  const text = kind === "zip" ? zipCode(rng) : numberText(rng, kind === "mostlyNumber");
  const quoted = style === "quoteAll" || (style === "mixed" && rng.next() < 0.3);
  if (quoted) return `"${text}"`;
  return rng.next() < 0.02 ? ` ${text} ` : text;
}

function numberText(rng: Rng, withTypos: boolean): string {
  const r = rng.next();
  if (withTypos && r < 0.01) return "9-0.297";
  if (r < 0.05) return "";
  if (r < 0.4) return String(rng.normal());
  if (r < 0.7) return (rng.normal() * 1000).toFixed(rng.int(7));
  if (r < 0.8) return String(rng.int(100_000) - 50_000);
  return rng.normal().toExponential(rng.int(10));
}

/** Numbers whose spellings String() does not give back, then now and then a text: the column is read again as text. */
function zipCode(rng: Rng): string {
  return rng.next() < 0.995 ? ["02139", "1.50", "-0", "7"][rng.int(4)] : "K1A 0B1";
}

function textCell(rng: Rng, style: Style, delimiter: string): string {
  const text = TEXTS[rng.int(TEXTS.length)].replaceAll('""', '"');
  const needsQuotes = /[",\n\r;\t|]/.test(text) || text.trim() !== text || text.includes(delimiter);
  if (style === "plainText" && !needsQuotes) return text;
  const quoted = `"${text.replaceAll('"', '""')}"`;
  return rng.next() < 0.05 ? ` ${quoted}  ` : quoted;
}

type Style = "r" | "quoteAll" | "mixed" | "plainText";

function generatedFile(rng: Rng, trial: number): { content: string; delimiter: string } {
  const delimiter = [",", ";", "\t", "|"][trial % 4];
  const style = (["r", "quoteAll", "mixed", "plainText"] as const)[Math.floor(trial / 4) % 4];
  const lineEnd = trial % 3 === 0 ? "\r\n" : "\n";
  const kinds = ["number", "text", "mostlyNumber", "number", "zip", "text"];
  const names = ["x", "label, with comma", "m", 'q"uote', "zip", "y"];
  const header = names.map((name) => (style === "plainText" && !/[",]/.test(name) ? name : `"${name.replaceAll('"', '""')}"`)).join(delimiter);
  const rows = Array.from({ length: 80 + rng.int(200) }, () => kinds.map((kind) => cell(rng, kind, style, delimiter)).join(delimiter));
  // Blank lines and lines of spaces here and there, which both paths skip.
  for (let i = 0; i < 3; i++) rows.splice(1 + rng.int(rows.length - 1), 0, ["", "   ", delimiter === "\t" ? " \f " : "\t"][i]);
  const bom = trial % 5 === 0 ? "\uFEFF" : "";
  const end = trial % 2 ? lineEnd : "";
  return { content: `${bom}${header}${lineEnd}${rows.join(lineEnd)}${end}`, delimiter };
}

describe("the lean CSV path with quotes", () => {
  it("reads generated R-style, QUOTE_ALL, mixed and plain files exactly as csv-parse's path, cut anywhere across blocks", async () => {
    const rng = new Rng(21);
    for (let trial = 0; trial < 48; trial++) {
      const { content, delimiter } = generatedFile(rng, trial);
      const invalidNumbers = ["missing", "text", "drop", "error"][trial % 4];
      for (const block of [undefined, 61, 509]) {
        const { file, lean, general } = await bothWays(content, { delimiter, invalidNumbers }, block);
        expect(lean, `trial ${trial}, block ${block}`).toEqual(general);
        if (block === undefined) expect(await leanReads(file, delimiter), `trial ${trial}`).toBe(true);
      }
    }
  });

  it("reads what R's write.csv writes: quoted header and text, bare numbers", async () => {
    const content = '"id","name","score","y"\n1,"Smith, J.",0.5,1\n2,"O""Brien",-1.25e-3,0\n3,"line\none",12,1\n';
    const { file, lean, general } = await bothWays(content, {});
    expect(lean).toEqual(general);
    expect(lean).toEqual({
      kinds: ["id:number", "name:string", "score:number", "y:number"],
      values: [[1, 2, 3], ["Smith, J.", 'O"Brien', "line\none"], [0.5, -1.25e-3, 12], [1, 0, 1]],
    });
    expect(await leanReads(file)).toBe(true);
  });

  it("reads numbers in quotes (QUOTE_ALL) as numbers, with CRLF and a BOM", async () => {
    const content = '\uFEFF"a","b","y"\r\n"1.5","-0","1"\r\n"","2e3","0"\r\n';
    const { file, lean, general } = await bothWays(content, {});
    expect(lean).toEqual(general);
    expect(lean).toEqual({ kinds: ["a:number", "b:number", "y:number"], values: [[1.5, NaN], [-0, 2000], [1, 0]] });
    expect(await leanReads(file)).toBe(true);
  });

  const malformed: [string, string][] = [
    ["an unclosed quote", 'a,b,y\n1,2,3\n4,"5,6\n7,8,9\n'],
    ["an unclosed quote in the header", '"a,b,y\n1,2,3\n'],
    ["a stray quote in an unquoted field", 'a,b,y\n"1",2,3\n4,5"x,6\n'],
    ["text after a closing quote", 'a,b,y\n"1",2,3\n"4"x,5,6\n'],
    ["text after a closing quote and a space", 'a,b,y\n"1",2,3\n"4" x,5,6\n'],
    ["a short row", 'a,b,y\n"1",2,3\n4,5\n'],
    ["a long row after a record spanning lines", 'a,b,y\n"1\n2",2,3\n4,5,6,7\n'],
    ["a record spanning lines with too few fields", 'a,b,y\n"1",2,3\n"4\n\n5",6\n'],
    ["a cell that is not a number", 'a,b,y\n"1",2,3\n"9-0.297",5,6\n'],
    ["an empty header name", '"a","","y"\n1,2,3\n'],
    ["a header naming a column twice", '"a","a","y"\n1,2,3\n'],
    ["lines ending in a lone CR", '"a","b","y"\r1,2,3\r'],
  ];
  for (const [what, content] of malformed) {
    it(`gives csv-parse's path's error (or result) for ${what}`, async () => {
      for (const block of [undefined, 7]) {
        const { lean, general } = await bothWays(content, {}, block);
        expect(lean).toEqual(general);
        if ("error" in lean) expect(lean.error).toMatch(/line \d|row \d|header|column/i);
      }
    });
  }

  it("reads a line holding only a tab in a TSV file as a row of empty fields, as csv-parse does", async () => {
    const { lean, general } = await bothWays('"a"\t"y"\n1\t2\n\t\n', { delimiter: "\t" });
    expect(lean).toEqual(general);
    expect(lean).toEqual({ kinds: ["a:number", "y:number"], values: [[1, NaN], [2, NaN]] });
  });

  it("names the line where a record with the wrong number of fields ends, counting line breaks inside quotes", async () => {
    const { lean } = await bothWays('a,b,y\n"x\ny",1,2\n\n"p",q\n', {});
    expect(lean).toEqual({ error: expect.stringMatching(/^Line 5 of "data.csv" has 2 fields but the header has 3\./) });
  });

  it('keeps invalidNumbers handling on quoted numeric columns: "error" names column and row, "drop" drops it', async () => {
    const rows = Array.from({ length: 500 }, (_, i) => `"${i === 41 ? "n/a" : i / 4}","k${i % 3}","${i % 2}"`);
    const content = `"x","kind","y"\n${rows.join("\n")}\n`;
    const error = await bothWays(content, {});
    expect(error.lean).toEqual(error.general);
    expect(error.lean).toEqual({ error: expect.stringMatching(/^Column "x" of "data.csv" is numeric, but row 42 holds "n\/a", which is not a number\./) });
    const dropped = await bothWays(content, { invalidNumbers: "drop" });
    expect(dropped.lean).toEqual(dropped.general);
    expect("values" in dropped.lean && dropped.lean.values[0].length).toBe(499);
  });
});
