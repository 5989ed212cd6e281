import { diffArrays } from "diff";
import type { CellValue, Column } from "../../data/dataset";
import type { ObjectStore } from "../../objects/objectStore";
import type { ColumnKind, DataDiff, DataSummary, RowSample } from "../types";
import { alignRows, type RowAlignment } from "./alignRows";
import { columnShifts } from "./shifts";
import { cellOf, rowKeys, sameCell } from "./rowKeys";
import { openStoredDataset, type StoredDataset } from "./storedChunks";
import { summariseColumn } from "./summarise";

export interface DataDiffOptions {
  /** The summaries recorded when the runs trained; without them they are computed from the chunks read. */
  summaryA?: DataSummary;
  summaryB?: DataSummary;
  /** How many example rows of each kind (changed, added, removed) to return. */
  sampleSize?: number;
}

const DEFAULT_SAMPLE = 10;
/** Chunks decoded between two turns of the event loop (a chunk decodes in well under a millisecond). */
const YIELD_EVERY = 16;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Compares two stored datasets by their chunks. Chunks are content-addressed and cut where the rows
 * say so, so the chunk lists of two versions line up: chunks both have are equal rows and are never
 * read; only the stretches between them ("gaps") are decoded and compared row by row. When the
 * columns differ, every chunk differs, and rows are compared on the columns both versions have.
 */
export async function diffStoredData(objects: ObjectStore, hashA: string, hashB: string, options: DataDiffOptions = {}): Promise<DataDiff> {
  if (hashA === hashB) return { status: "identical", hash: hashA, rows: objects.readManifest(hashA).rows };
  const a = openStoredDataset(objects, hashA);
  const b = openStoredDataset(objects, hashB);
  const schema = compareSchemas(a, b);
  const keep = options.sampleSize ?? DEFAULT_SAMPLE;
  const gaps = schema.sameLayout ? chunkGaps(a.chunks, b.chunks) : [{ a: a.chunks, b: b.chunks }];
  const totals = emptyTotals();
  const sample: RowSample[] = [];
  for (const gap of gaps) await compareGap(a, b, gap, schema.compared, keep, totals, sample);
  const readA = gaps.reduce((sum, gap) => sum + gap.a.length, 0);
  const readB = gaps.reduce((sum, gap) => sum + gap.b.length, 0);
  return {
    status: "changed",
    hashA,
    hashB,
    rowsA: a.rows,
    rowsB: b.rows,
    rowsAdded: totals.added,
    rowsRemoved: totals.removed,
    rowsChanged: totals.changed,
    comparedColumns: schema.compared,
    columnsAdded: schema.added,
    columnsRemoved: schema.removed,
    columnsRetyped: schema.retyped,
    targetA: a.target,
    targetB: b.target,
    shifts: columnShifts(options.summaryA ?? (await summaryOf(a)), options.summaryB ?? (await summaryOf(b))),
    sample: orderSample(sample, keep),
    chunks: { sharedChunks: a.chunks.length - readA, readA, readB, totalA: a.chunks.length, totalB: b.chunks.length },
    approximate: totals.approximate,
  };
}

interface Schema {
  sameLayout: boolean;
  compared: string[];
  added: string[];
  removed: string[];
  retyped: { name: string; a: ColumnKind; b: ColumnKind }[];
}

function compareSchemas(a: StoredDataset, b: StoredDataset): Schema {
  const kindsB = new Map(b.columns.map((c) => [c.name, c.kind]));
  const namesA = new Set(a.columns.map((c) => c.name));
  const sameLayout = a.columns.length === b.columns.length && a.columns.every((c, i) => c.name === b.columns[i].name && c.kind === b.columns[i].kind);
  return {
    sameLayout,
    compared: a.columns.filter((c) => kindsB.get(c.name) === c.kind).map((c) => c.name),
    added: b.columns.filter((c) => !namesA.has(c.name)).map((c) => c.name),
    removed: a.columns.filter((c) => !kindsB.has(c.name)).map((c) => c.name),
    retyped: a.columns.filter((c) => kindsB.has(c.name) && kindsB.get(c.name) !== c.kind).map((c) => ({ name: c.name, a: c.kind, b: kindsB.get(c.name) as ColumnKind })),
  };
}

interface Gap {
  a: string[];
  b: string[];
}

/** The stretches of chunks that differ between the two lists, between the chunks they share in order. */
export function chunkGaps(a: string[], b: string[]): Gap[] {
  const gaps: Gap[] = [];
  let current: Gap = { a: [], b: [] };
  for (const edit of diffArrays(a, b)) {
    if (edit.removed) current.a.push(...edit.value);
    else if (edit.added) current.b.push(...edit.value);
    else if (current.a.length || current.b.length) {
      gaps.push(current);
      current = { a: [], b: [] };
    }
  }
  if (current.a.length || current.b.length) gaps.push(current);
  return gaps;
}

interface Totals {
  changed: number;
  added: number;
  removed: number;
  approximate: boolean;
}

function emptyTotals(): Totals {
  return { changed: 0, added: 0, removed: 0, approximate: false };
}

async function compareGap(a: StoredDataset, b: StoredDataset, gap: Gap, compared: string[], keep: number, totals: Totals, sample: RowSample[]): Promise<void> {
  const rowsA = await readChunks(a, gap.a);
  const rowsB = await readChunks(b, gap.b);
  const keysA = rowKeys(pick(rowsA.columns, compared), rowsA.rows);
  const keysB = rowKeys(pick(rowsB.columns, compared), rowsB.rows);
  const alignment = alignRows(keysA, keysB, keep);
  totals.changed += alignment.changed;
  totals.added += alignment.added;
  totals.removed += alignment.removed;
  totals.approximate ||= alignment.approximate;
  collectSample(alignment, rowsA.columns, rowsB.columns, compared, keep, sample);
}

/** The columns of several chunks joined in order. */
async function readChunks(dataset: StoredDataset, chunks: string[]): Promise<{ columns: Column[]; rows: number }> {
  const parts: Column[][] = [];
  for (const chunk of chunks) {
    parts.push(dataset.readChunk(chunk));
    // Decoding is synchronous: let the event loop breathe between chunks (the extension host runs this).
    if (parts.length % YIELD_EVERY === 0) await yieldToEventLoop();
  }
  const rows = parts.reduce((sum, part) => sum + (part[0]?.values.length ?? 0), 0);
  const columns = dataset.columns.map((spec, c): Column => {
    if (spec.kind === "number") {
      const values = new Float64Array(rows);
      let at = 0;
      for (const part of parts) {
        values.set(part[c].values as Float64Array, at);
        at += part[c].values.length;
      }
      return { name: spec.name, kind: "number", values };
    }
    return { name: spec.name, kind: "string", values: parts.flatMap((part) => part[c].values as (string | null)[]) };
  });
  return { columns, rows };
}

function pick(columns: Column[], names: string[]): Column[] {
  const byName = new Map(columns.map((column) => [column.name, column]));
  return names.map((name) => byName.get(name) as Column);
}

function collectSample(alignment: RowAlignment, a: Column[], b: Column[], compared: string[], keep: number, sample: RowSample[]): void {
  const count = (change: RowSample["change"]) => sample.filter((row) => row.change === change).length;
  for (const [rowA, rowB] of alignment.changedRows.slice(0, keep - count("changed"))) {
    const valuesA = rowValues(a, rowA);
    const valuesB = rowValues(b, rowB);
    sample.push({ change: "changed", a: valuesA, b: valuesB, columns: compared.filter((name) => !sameCell(valuesA[name], valuesB[name])) });
  }
  for (const row of alignment.addedRows.slice(0, keep - count("added"))) sample.push({ change: "added", b: rowValues(b, row) });
  for (const row of alignment.removedRows.slice(0, keep - count("removed"))) sample.push({ change: "removed", a: rowValues(a, row) });
}

function rowValues(columns: Column[], row: number): Record<string, CellValue> {
  return Object.fromEntries(columns.map((column) => [column.name, cellOf(column, row)]));
}

const CHANGE_ORDER: RowSample["change"][] = ["changed", "added", "removed"];

function orderSample(sample: RowSample[], keep: number): RowSample[] {
  return CHANGE_ORDER.flatMap((change) => sample.filter((row) => row.change === change).slice(0, keep));
}

/** Runs recorded before summaries existed: the figures are computed from the whole stored dataset. */
async function summaryOf(dataset: StoredDataset): Promise<DataSummary> {
  const all = await readChunks(dataset, dataset.chunks);
  return { rows: all.rows, target: dataset.target, columns: all.columns.map(summariseColumn) };
}
