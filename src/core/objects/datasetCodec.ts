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

/**
 * The columns of a dataset being read back, filled chunk by chunk in order, in place: each
 * chunk's values are decoded (on this thread or a chunk thread) straight into the final arrays,
 * sized once from the manifest's row count. A count that turns out wrong only costs a copy (the
 * arrays grow, or are cut at the end); the whole content's hash decides whether the data is good.
 */
export class ColumnBuilder {
  readonly kinds: Column["kind"][];
  /** Each column's values so far (length: the capacity, of which `rows` are filled). */
  readonly values: (Float64Array | (string | null)[])[];
  private filled = 0;
  private capacity: number;

  constructor(
    private readonly header: Header,
    expectedRows: number,
    contentBytes: number,
  ) {
    this.kinds = header.columns.map((spec) => spec.kind);
    // Never more rows than content bytes (a row takes at least a byte): a damaged count cannot ask for absurd memory.
    const rows = Math.min(expectedRows, contentBytes);
    this.capacity = Number.isSafeInteger(rows) && rows > 0 ? rows : 0;
    this.values = this.kinds.map((kind) => (kind === "number" ? sharedNumbers(this.capacity) : new Array<string | null>(this.capacity)));
  }

  get rows(): number {
    return this.filled;
  }

  /** Room for `rows` more rows; returns the row they start at. */
  reserve(rows: number): number {
    const at = this.filled;
    if (at + rows > this.capacity) this.grow(Math.max(at + rows, 2 * this.capacity));
    this.filled = at + rows;
    return at;
  }

  /** Gives back the rows reserved from `at` on (a chunk that did not decode after all). */
  release(at: number): void {
    this.filled = Math.min(this.filled, at);
  }

  /** A chunk decoded on its own (format 2), copied in. */
  append(decoded: DecodedRows): void {
    const at = this.reserve(decoded.rows);
    this.values.forEach((values, c) => {
      const part = decoded.columns[c];
      if (values instanceof Float64Array) values.set(part as Float64Array, at);
      else for (let i = 0; i < decoded.rows; i++) values[at + i] = (part as (string | null)[])[i];
    });
  }

  finish(): Dataset {
    const columns: Column[] = this.header.columns.map((spec, c) => {
      const values = this.values[c];
      if (values instanceof Float64Array) return { name: spec.name, kind: "number", values: values.length === this.filled ? values : values.slice(0, this.filled) };
      values.length = this.filled;
      return { name: spec.name, kind: "string", values };
    });
    return new Dataset(columns, this.header.target);
  }

  private grow(capacity: number): void {
    this.capacity = capacity;
    this.values.forEach((values, c) => {
      if (values instanceof Float64Array) {
        const wider = sharedNumbers(capacity);
        wider.set(values.subarray(0, this.filled));
        this.values[c] = wider;
      } else values.length = capacity;
    });
  }
}

/**
 * A numeric column in shared memory, as loaded datasets have them: chunk threads decode into it in
 * place, and storing it again needs no copy for the threads.
 */
function sharedNumbers(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * length));
}

/**
 * Decodes a format-3 chunk's columns of one kind (or all) into `columns` (null: not decoded here,
 * only stepped over) at row `at`, for a chunk whose row count the caller has read and reserved.
 * Throws on any chunk that does not decode exactly (to be reported as corrupted).
 */
export function decodeColumnsInto(buffer: Buffer, kinds: readonly Column["kind"][], columns: readonly (Float64Array | (string | null)[] | null)[], at: number): void {
  const rows = buffer.readUInt32LE(0);
  const reader = new ColumnReader(buffer, 4);
  kinds.forEach((kind, c) => {
    const out = columns[c];
    if (kind === "number") {
      if (out) reader.numbersInto(rows, out as Float64Array, at);
      else reader.skipNumbers(rows);
    } else if (out) reader.textsInto(rows, out as (string | null)[], at);
    else reader.skipTexts(rows);
  });
  if (!reader.atEnd) throw new Error("trailing bytes");
}

/** The row count a chunk's content starts with (throws when it is too short to hold one). */
export function chunkRows(buffer: Buffer): number {
  return buffer.readUInt32LE(0);
}
