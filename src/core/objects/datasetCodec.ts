import { Dataset, type Column } from "../data/dataset";
import { MlexpError } from "../util/errors";

/**
 * The stored form of a dataset: a JSON header (format, target, column names and kinds), then row
 * ranges stored column by column. Numbers are the float64 bytes themselves (little-endian, every NaN
 * written as the same NaN), so storing is a memory copy and reading gives back the very same
 * doubles; text is length-prefixed UTF-8 with a distinct mark for a missing value.
 */
export const FORMAT = "mlexp-dataset/2";

interface Header {
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
    if (header.format === FORMAT && Array.isArray(header.columns)) return header;
  } catch {
    // reported below
  }
  throw new MlexpError(`The stored dataset ${label} is not in the ${FORMAT} format.`, "object_corrupted");
}

/** Rows [start, end) as one chunk: a row count, then each column's values. */
export function encodeRows(columns: readonly Column[], start: number, end: number): Buffer {
  const parts: Buffer[] = [uint32(end - start)];
  for (const column of columns) {
    parts.push(column.kind === "number" ? numberBytes(column.values, start, end) : textBytes(column.values, start, end));
  }
  return Buffer.concat(parts);
}

const CANONICAL_NAN = new Float64Array([NaN]);

function numberBytes(values: Float64Array, start: number, end: number): Buffer {
  let slice = values.subarray(start, end);
  if (hasNaN(slice)) slice = slice.map((v) => (Number.isNaN(v) ? CANONICAL_NAN[0] : v));
  const bytes = Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength);
  return isLittleEndian ? bytes : swapped(bytes);
}

function hasNaN(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) return true;
  return false;
}

/** Text columns are mostly categories: each distinct value is encoded to UTF-8 once per chunk. */
function textBytes(values: readonly (string | null)[], start: number, end: number): Buffer {
  const encoded = new Map<string, Buffer>();
  let size = 0;
  for (let i = start; i < end; i++) {
    const value = values[i];
    if (value === null) {
      size += 4;
      continue;
    }
    let bytes = encoded.get(value);
    if (!bytes) encoded.set(value, (bytes = Buffer.from(value, "utf8")));
    size += 4 + bytes.length;
  }
  const out = Buffer.allocUnsafe(size);
  let offset = 0;
  for (let i = start; i < end; i++) {
    const value = values[i];
    const bytes = value === null ? undefined : (encoded.get(value) as Buffer);
    offset = out.writeUInt32LE(bytes ? bytes.length + 1 : 0, offset);
    if (bytes) offset += bytes.copy(out, offset);
  }
  return out;
}

/** Column arrays of one chunk, to be joined with the other chunks' in order. */
export interface DecodedRows {
  rows: number;
  columns: (Float64Array | (string | null)[])[];
}

export function decodeRows(buffer: Buffer, header: Header, label: string): DecodedRows {
  try {
    const rows = buffer.readUInt32LE(0);
    let offset = 4;
    const columns = header.columns.map((spec) => {
      if (spec.kind === "number") {
        const bytes = Buffer.from(buffer.subarray(offset, offset + rows * 8));
        offset += rows * 8;
        if (bytes.length !== rows * 8) throw new Error("truncated");
        return new Float64Array((isLittleEndian ? bytes : swapped(bytes)).buffer, bytes.byteOffset, rows);
      }
      const values: (string | null)[] = new Array(rows);
      for (let i = 0; i < rows; i++) {
        const length = buffer.readUInt32LE(offset);
        offset += 4;
        values[i] = length === 0 ? null : buffer.toString("utf8", offset, offset + length - 1);
        offset += Math.max(0, length - 1);
      }
      return values;
    });
    if (offset !== buffer.length) throw new Error("trailing bytes");
    return { rows, columns };
  } catch {
    throw new MlexpError(`A chunk of the stored dataset ${label} cannot be decoded.`, "object_corrupted");
  }
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
    return { name: spec.name, kind: "string", values: parts.flatMap((part) => part.columns[c] as (string | null)[]) };
  });
  return new Dataset(columns, header.target);
}

const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swapped(bytes: Buffer): Buffer {
  return Buffer.from(bytes).swap64();
}

function uint32(value: number): Buffer {
  const buffer = Buffer.allocUnsafe(4);
  buffer.writeUInt32LE(value, 0);
  return buffer;
}
