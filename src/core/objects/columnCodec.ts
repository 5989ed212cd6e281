import { shuffleBytes, unshuffleBytes } from "./byteShuffle";

/**
 * The lean column encodings of format 3, chosen per column and per chunk by looking at the values
 * (measured in `npm run bench -- storage`): the stored bytes shrink about threefold on typical
 * tables before compression, so hashing, compressing and reading all have less to do. Every
 * encoding gives back exactly the doubles it was given (each candidate value is checked), with
 * every NaN read back as the same NaN, as format 2 did.
 *
 * Numbers, one tag byte then:
 * - SCALED: integers, or decimals with up to MAX_DECIMALS digits (prices, counts, ids, labels, CSV
 *   readings): value = (min + code) / 10^decimals, codes of 1, 2 or 4 bytes, the largest code
 *   meaning NaN when the chunk has one;
 * - FLOAT32: values a float32 holds exactly (data that passed through float32), 4 bytes;
 * - FLOAT64: anything else, the 8 bytes.
 * Multi-byte codes are byte-shuffled (byteShuffle.ts).
 *
 * Text: DICTIONARY (each distinct value once, then a 1, 2 or 4-byte index per row, 0 for missing)
 * when values repeat, else PLAIN (a length + 1 per row, 0 for missing, then the UTF-8 bytes).
 */
const FLOAT64 = 0;
const FLOAT32 = 1;
const SCALED = 2;
const PLAIN = 0;
const DICTIONARY = 1;

const MAX_DECIMALS = 6;
const POWERS = Array.from({ length: MAX_DECIMALS + 1 }, (_, d) => 10 ** d);
/** Integers beyond this are not all exact as doubles after adding a code: such columns stay FLOAT64. */
const MAX_SCALED = 2 ** 52;
const CANONICAL_NAN = NaN;

export function encodeNumbers(values: Float64Array, start: number, end: number): Buffer[] {
  const slice = values.subarray(start, end);
  return encodeScaled(slice) ?? encodeFloat32(slice) ?? encodeFloat64(slice);
}

interface Scaled {
  decimals: number;
  min: number;
  max: number;
  hasNaN: boolean;
}

function encodeScaled(values: Float64Array): Buffer[] | undefined {
  const scale = findScale(values);
  if (!scale) return undefined;
  const { decimals, min, max, hasNaN } = scale;
  const codeCount = max - min + 1 + (hasNaN ? 1 : 0);
  const width = codeCount <= 0x100 ? 1 : codeCount <= 0x10000 ? 2 : codeCount <= 0x100000000 ? 4 : 0;
  if (!width) return undefined;
  const nanCode = 2 ** (8 * width) - 1;
  const codes = width === 1 ? new Uint8Array(values.length) : width === 2 ? new Uint16Array(values.length) : new Uint32Array(values.length);
  const power = POWERS[decimals];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    codes[i] = value !== value ? nanCode : Math.round(value * power) - min;
  }
  const head = Buffer.allocUnsafe(12);
  head.writeUInt8(SCALED, 0);
  head.writeUInt8(decimals, 1);
  head.writeUInt8(width, 2);
  head.writeUInt8(hasNaN ? 1 : 0, 3);
  head.writeDoubleLE(min, 4);
  return [head, shuffleBytes(new Uint8Array(codes.buffer), width)];
}

/** The fewest decimals that represent every value exactly, with the range of the scaled integers. */
function findScale(values: Float64Array): Scaled | undefined {
  for (let decimals = 0; decimals <= MAX_DECIMALS; decimals++) {
    const scale = scaleAt(values, POWERS[decimals]);
    if (scale) return { ...scale, decimals };
  }
  return undefined;
}

function scaleAt(values: Float64Array, power: number): Omit<Scaled, "decimals"> | undefined {
  let min = Infinity;
  let max = -Infinity;
  let hasNaN = false;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== value) {
      hasNaN = true;
      continue;
    }
    const scaled = Math.round(value * power);
    // -0 would come back as 0; beyond MAX_SCALED the sum min + code may round.
    if (scaled / power !== value || (value === 0 && 1 / value < 0) || scaled > MAX_SCALED || scaled < -MAX_SCALED) return undefined;
    if (scaled < min) min = scaled;
    if (scaled > max) max = scaled;
  }
  if (min > max) min = max = 0;
  return { min, max, hasNaN };
}

function encodeFloat32(values: Float64Array): Buffer[] | undefined {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (Math.fround(value) !== value && value === value) return undefined;
  }
  const narrow = new Float32Array(values.length);
  narrow.set(values);
  return [Buffer.from([FLOAT32]), shuffleBytes(new Uint8Array(narrow.buffer), 4)];
}

function encodeFloat64(values: Float64Array): Buffer[] {
  let bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (hasNaN(values)) bytes = new Uint8Array(values.map((v) => (v !== v ? CANONICAL_NAN : v)).buffer);
  return [Buffer.from([FLOAT64]), shuffleBytes(bytes, 8)];
}

function hasNaN(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) return true;
  return false;
}

export function encodeTexts(values: readonly (string | null)[], start: number, end: number): Buffer[] {
  return encodeDictionary(values, start, end) ?? encodePlain(values, start, end);
}

function encodeDictionary(values: readonly (string | null)[], start: number, end: number): Buffer[] | undefined {
  const rows = end - start;
  const ids = new Map<string, number>();
  const codes = new Uint32Array(rows);
  for (let i = start; i < end; i++) {
    const value = values[i];
    if (value === null) continue;
    let id = ids.get(value);
    if (id === undefined) {
      id = ids.size + 1;
      // Mostly distinct values gain nothing from a dictionary.
      if (id > rows / 2) return undefined;
      ids.set(value, id);
    }
    codes[i - start] = id;
  }
  const entries = [...ids.keys()].map((value) => Buffer.from(value, "utf8"));
  const width = ids.size < 0x100 ? 1 : ids.size < 0x10000 ? 2 : 4;
  const narrow = width === 1 ? new Uint8Array(rows) : width === 2 ? new Uint16Array(rows) : codes;
  if (narrow !== codes) narrow.set(codes);
  const head = Buffer.allocUnsafe(6 + 4 * entries.length);
  head.writeUInt8(DICTIONARY, 0);
  head.writeUInt8(width, 1);
  head.writeUInt32LE(entries.length, 2);
  entries.forEach((entry, i) => head.writeUInt32LE(entry.length, 6 + 4 * i));
  return [head, ...entries, shuffleBytes(new Uint8Array(narrow.buffer, narrow.byteOffset, narrow.byteLength), width)];
}

function encodePlain(values: readonly (string | null)[], start: number, end: number): Buffer[] {
  let size = 1;
  const encoded: (Buffer | null)[] = [];
  for (let i = start; i < end; i++) {
    const value = values[i];
    const bytes = value === null ? null : Buffer.from(value, "utf8");
    encoded.push(bytes);
    size += 4 + (bytes ? bytes.length : 0);
  }
  const out = Buffer.allocUnsafe(size);
  let offset = out.writeUInt8(PLAIN, 0);
  for (const bytes of encoded) {
    offset = out.writeUInt32LE(bytes ? bytes.length + 1 : 0, offset);
    if (bytes) offset += bytes.copy(out, offset);
  }
  return [out];
}

/** Reads a chunk's columns in order; any read past the end throws (reported as a corrupted chunk). */
export class ColumnReader {
  private offset: number;

  constructor(
    private readonly buffer: Buffer,
    offset: number,
  ) {
    this.offset = offset;
  }

  get atEnd(): boolean {
    return this.offset === this.buffer.length;
  }

  numbers(rows: number): Float64Array {
    const tag = this.byte();
    if (tag === FLOAT64) return new Float64Array(unshuffleBytes(this.take(rows * 8), 8));
    if (tag === FLOAT32) {
      const wide = new Float64Array(rows);
      wide.set(new Float32Array(unshuffleBytes(this.take(rows * 4), 4)));
      return wide;
    }
    if (tag !== SCALED) throw new Error(`unknown number encoding ${tag}`);
    const decimals = this.byte();
    const width = this.byte();
    const hasNaN = this.byte() === 1;
    const min = this.buffer.readDoubleLE(this.offset);
    this.offset += 8;
    if (decimals > MAX_DECIMALS || (width !== 1 && width !== 2 && width !== 4)) throw new Error("bad scaled column");
    const raw = unshuffleBytes(this.take(rows * width), width);
    const codes = width === 1 ? new Uint8Array(raw) : width === 2 ? new Uint16Array(raw) : new Uint32Array(raw);
    const nanCode = hasNaN ? 2 ** (8 * width) - 1 : -1;
    const power = POWERS[decimals];
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const code = codes[i];
      out[i] = code === nanCode ? NaN : (min + code) / power;
    }
    return out;
  }

  texts(rows: number): (string | null)[] {
    const tag = this.byte();
    if (tag === PLAIN) return this.plainTexts(rows);
    if (tag !== DICTIONARY) throw new Error(`unknown text encoding ${tag}`);
    const width = this.byte();
    const count = this.buffer.readUInt32LE(this.offset);
    this.offset += 4;
    const lengths = Array.from({ length: count }, (_, i) => this.buffer.readUInt32LE(this.offset + 4 * i));
    this.offset += 4 * count;
    const dictionary: (string | null)[] = [null];
    for (const length of lengths) dictionary.push(this.take(length).toString("utf8"));
    if (width !== 1 && width !== 2 && width !== 4) throw new Error("bad dictionary width");
    const raw = unshuffleBytes(this.take(rows * width), width);
    const codes = width === 1 ? new Uint8Array(raw) : width === 2 ? new Uint16Array(raw) : new Uint32Array(raw);
    const out: (string | null)[] = new Array(rows);
    for (let i = 0; i < rows; i++) {
      const value = dictionary[codes[i]];
      if (value === undefined) throw new Error("dictionary index out of range");
      out[i] = value;
    }
    return out;
  }

  private plainTexts(rows: number): (string | null)[] {
    const out: (string | null)[] = new Array(rows);
    for (let i = 0; i < rows; i++) {
      const length = this.buffer.readUInt32LE(this.offset);
      this.offset += 4;
      out[i] = length === 0 ? null : this.take(length - 1).toString("utf8");
    }
    return out;
  }

  private byte(): number {
    return this.buffer.readUInt8(this.offset++);
  }

  private take(length: number): Buffer {
    if (this.offset + length > this.buffer.length) throw new Error("truncated");
    const bytes = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return bytes;
  }
}
