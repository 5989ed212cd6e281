import { Dataset, type Column } from "../data/dataset";
import { MlexpError } from "../util/errors";
import { ColumnReader, planNumbers, planTexts, type ColumnPlan } from "./columnCodec";
import { decodeRowsV2, FORMAT_V2 } from "./legacyCodec";

/**
 * The stored form of a dataset: a JSON header (format, target, column names and kinds), then row
 * ranges stored column by column. Format 3 (written now) encodes each column of each chunk in the
 * leanest exact form (columnCodec.ts); format 2 (written before issue 11) stored raw float64 and
 * length-prefixed text, and is still read (legacyCodec.ts). The header says which one a dataset is.
 */
export const FORMAT = "mlexp-dataset/3";
const READABLE = [FORMAT, FORMAT_V2];

export interface Header {
  format: string;
  target: string;
  columns: { name: string; kind: Column["kind"] }[];
}

export function encodeHeader(dataset: Dataset): Buffer {
  const header: Header = {
    format: FORMAT,
    target: dataset.target,
    columns: dataset.columns.map((column) => ({ name: column.name, kind: column.kind })),
  };
  return Buffer.from(JSON.stringify(header), "utf8");
}

export function decodeHeader(buffer: Buffer, label: string): Header {
  try {
    const header = JSON.parse(buffer.toString("utf8")) as Header;
    if (READABLE.includes(header.format) && Array.isArray(header.columns)) return header;
  } catch {
    // reported below
  }
  throw new MlexpError(`The stored dataset ${label} is not in a format this version reads (${READABLE.join(", ")}).`, "object_corrupted", "It may have been stored by a newer mlexp: update mlexp, or reproduce with --fresh-data.");
}

/**
 * Rows [start, end) as one chunk: a row count, then each column's values. The buffer has an
 * ArrayBuffer of its own (never a slice of Node's shared pool), so it can be handed to another thread.
 */
export function encodeRows(columns: readonly Column[], start: number, end: number): Buffer {
  return writeChunk(
    end - start,
    columns.map((column) => (column.kind === "number" ? planNumbers(column.values, start, end) : planTexts(column.values, start, end))),
  );
}

/** A chunk of `rows` rows from its columns' plans, in one buffer of its own. */
function writeChunk(rows: number, plans: readonly ColumnPlan[]): Buffer {
  const out = Buffer.allocUnsafeSlow(chunkSize(plans));
  writeChunkAt(out, 0, rows, plans);
  return out;
}

/** The size of the chunk these column plans make. */
export function chunkSize(plans: readonly ColumnPlan[]): number {
  return plans.reduce((sum, plan) => sum + plan.size, 4);
}

/** Writes the chunk at `offset` of `out`; returns its size. */
export function writeChunkAt(out: Buffer, offset: number, rows: number, plans: readonly ColumnPlan[]): number {
  out.writeUInt32LE(rows, offset);
  let at = offset + 4;
  for (const plan of plans) {
    plan.write(out, at);
    at += plan.size;
  }
  return at - offset;
}

/** Column arrays of one chunk, to be joined with the other chunks' in order. */
export interface DecodedRows {
  rows: number;
  columns: (Float64Array | (string | null)[])[];
}

export function decodeRows(buffer: Buffer, header: Header, label: string): DecodedRows {
  try {
    if (header.format === FORMAT_V2) return decodeRowsV2(buffer, header);
    const { rows, columns } = decodeColumns(buffer, header.columns.map((spec) => spec.kind), "all");
    return { rows, columns: columns as DecodedRows["columns"] };
  } catch {
    throw undecodable(label);
  }
}

export function undecodable(label: string): MlexpError {
  return new MlexpError(`A chunk of the stored dataset ${label} cannot be decoded.`, "object_corrupted");
}

/**
 * A format-3 chunk's columns of one kind, or all: the others are only stepped over (null). Reading
 * splits a chunk so: its number columns on a chunk thread, its text columns where the strings are
 * used. Throws on any chunk that does not decode exactly (to be reported as corrupted).
 */
export function decodeColumns(buffer: Buffer, kinds: readonly Column["kind"][], which: Column["kind"] | "all"): { rows: number; columns: (Float64Array | (string | null)[] | null)[] } {
  const rows = buffer.readUInt32LE(0);
  const reader = new ColumnReader(buffer, 4);
  const columns = kinds.map((kind) => {
    if (kind === "number" ? which === "string" : which === "number") {
      if (kind === "number") reader.skipNumbers(rows);
      else reader.skipTexts(rows);
      return null;
    }
    return kind === "number" ? reader.numbers(rows) : reader.texts(rows);
  });
  if (!reader.atEnd) throw new Error("trailing bytes");
  return { rows, columns };
}

export function assembleDataset(header: Header, parts: DecodedRows[]): Dataset {
  const columns: Column[] = header.columns.map((spec, c) => {
    if (spec.kind === "number") {
      const total = parts.reduce((sum, part) => sum + part.rows, 0);
      const values = new Float64Array(total);
      let at = 0;
      for (const part of parts) {
        values.set(part.columns[c] as Float64Array, at);
        at += part.rows;
      }
      return { name: spec.name, kind: "number", values };
    }
    return { name: spec.name, kind: "string", values: joinTexts(parts.map((part) => part.columns[c] as (string | null)[])) };
  });
  return new Dataset(columns, header.target);
}

function joinTexts(parts: (string | null)[][]): (string | null)[] {
  const out: (string | null)[] = new Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) for (let i = 0; i < part.length; i++) out[at++] = part[i];
  return out;
}
