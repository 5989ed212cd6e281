import { HIGH_WORD, LOW_WORD, shuffle16, shuffle32, shuffle64, unshuffle64Into } from "./byteShuffle";
import { dictionary16Into, dictionary32Into, dictionary8Into, float32Into, integersInto, scaled16Into, scaled32Into, scaled8Into } from "./columnDecodeLoops";

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

/**
 * How one column of one chunk is stored: its exact size, chosen by looking at the values, and how
 * to write it. A chunk is sized from its columns' plans and each column written in place, so no
 * column is built in a buffer of its own and then copied (measured: a third of the encoding time
 * on a 27-column table went to those buffers and their copying).
 */
export interface ColumnPlan {
  readonly size: number;
  /** Writes the column's `size` bytes at `offset` of `out`. */
  write(out: Buffer, offset: number): void;
}

export function planNumbers(values: Float64Array, start: number, end: number): ColumnPlan {
  const slice = values.subarray(start, end);
  return planScaled(slice) ?? planFloat32(slice) ?? planFloat64(slice);
}

interface Scaled {
  decimals: number;
  min: number;
  max: number;
  hasNaN: boolean;
}

const SCALED_HEAD = 12;

function planScaled(values: Float64Array): ColumnPlan | undefined {
  const scale = findScale(values);
  if (!scale) return undefined;
  const { decimals, min, max, hasNaN } = scale;
  const codeCount = max - min + 1 + (hasNaN ? 1 : 0);
  const width = codeCount <= 0x100 ? 1 : codeCount <= 0x10000 ? 2 : codeCount <= 0x100000000 ? 4 : 0;
  if (!width) return undefined;
  return {
    size: SCALED_HEAD + values.length * width,
    write(out, offset) {
      out[offset] = SCALED;
      out[offset + 1] = decimals;
      out[offset + 2] = width;
      out[offset + 3] = hasNaN ? 1 : 0;
      out.writeDoubleLE(min, offset + 4);
      const power = POWERS[decimals];
      if (width === 1) writeCodes8(values, power, min, out, offset + SCALED_HEAD);
      else if (width === 2) writeCodes16(values, power, min, out, offset + SCALED_HEAD);
      else writeCodes32(values, power, min, out, offset + SCALED_HEAD);
    },
  };
}

/** Codes (the largest one for NaN), shuffled little-endian: one loop per width, so each stays monomorphic. */
function writeCodes8(values: Float64Array, power: number, min: number, out: Buffer, at: number): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    out[at + i] = value !== value ? 0xff : Math.round(value * power) - min;
  }
}

function writeCodes16(values: Float64Array, power: number, min: number, out: Buffer, at: number): void {
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const value = values[i];
    const code = value !== value ? 0xffff : Math.round(value * power) - min;
    out[at + i] = code;
    out[at + n + i] = code >>> 8;
  }
}

function writeCodes32(values: Float64Array, power: number, min: number, out: Buffer, at: number): void {
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const value = values[i];
    const code = value !== value ? 0xffffffff : Math.round(value * power) - min;
    out[at + i] = code;
    out[at + n + i] = code >>> 8;
    out[at + 2 * n + i] = code >>> 16;
    out[at + 3 * n + i] = code >>> 24;
  }
}

/** The fewest decimals that represent every value exactly, with the range of the scaled integers. */
function findScale(values: Float64Array): Scaled | undefined {
  for (let decimals = 0; decimals <= MAX_DECIMALS; decimals++) {
    const scale = scaleAt(values, POWERS[decimals]);
    if (scale) {
      scale.decimals = decimals;
      return scale;
    }
  }
  return undefined;
}

function scaleAt(values: Float64Array, power: number): Scaled | undefined {
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
    // Beyond MAX_SCALED the sum min + code may round.
    if (scaled / power !== value || scaled > MAX_SCALED || scaled < -MAX_SCALED) return undefined;
    if (scaled < min) min = scaled;
    if (scaled > max) max = scaled;
  }
  if (min > max) min = max = 0;
  // -0 would come back as 0. Looked for only when 0 is in range, by its bits, after the loop: a
  // `value === 0` test per value mispredicts on 0/1 columns (labels): 37 → 20 ms on the table's
  // label, all its numeric columns 85 → 70 ms (same-process A/B, medians of 21).
  if (min <= 0 && max >= 0 && hasNegativeZero(values)) return undefined;
  return { decimals: 0, min, max, hasNaN };
}

function hasNegativeZero(values: Float64Array): boolean {
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * values.length);
  for (let i = 0; i < values.length; i++) if (words[2 * i + HIGH_WORD] === 0x80000000 && words[2 * i + LOW_WORD] === 0) return true;
  return false;
}

function planFloat32(values: Float64Array): ColumnPlan | undefined {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (Math.fround(value) !== value && value === value) return undefined;
  }
  return {
    size: 1 + 4 * values.length,
    write(out, offset) {
      out[offset] = FLOAT32;
      const narrow = new Float32Array(values.length);
      narrow.set(values);
      shuffle32(new Uint32Array(narrow.buffer), out, offset + 1);
    },
  };
}

function planFloat64(values: Float64Array): ColumnPlan {
  return {
    size: 1 + 8 * values.length,
    write(out, offset) {
      out[offset] = FLOAT64;
      let words = new Uint32Array(values.buffer, values.byteOffset, 2 * values.length);
      if (hasNaN(values)) words = new Uint32Array(values.map((v) => (v !== v ? CANONICAL_NAN : v)).buffer);
      shuffle64(words, values.length, out, offset + 1);
    },
  };
}

function hasNaN(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) return true;
  return false;
}

export function planTexts(values: readonly (string | null)[], start: number, end: number): ColumnPlan {
  return planDictionary(values, start, end) ?? planPlain(values, start, end);
}

function planDictionary(values: readonly (string | null)[], start: number, end: number): ColumnPlan | undefined {
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
  const entries = [...ids.keys()];
  const lengths = entries.map((entry) => Buffer.byteLength(entry, "utf8"));
  const width = ids.size < 0x100 ? 1 : ids.size < 0x10000 ? 2 : 4;
  return {
    size: 6 + 4 * entries.length + lengths.reduce((sum, length) => sum + length, 0) + rows * width,
    write(out, offset) {
      out[offset] = DICTIONARY;
      out[offset + 1] = width;
      out.writeUInt32LE(entries.length, offset + 2);
      let at = offset + 6;
      for (const length of lengths) at = out.writeUInt32LE(length, at);
      for (let e = 0; e < entries.length; e++) at += out.write(entries[e], at, lengths[e], "utf8");
      if (width === 1) out.set(codes, at);
      else if (width === 2) shuffle16(new Uint16Array(codes), out, at);
      else shuffle32(codes, out, at);
    },
  };
}

function planPlain(values: readonly (string | null)[], start: number, end: number): ColumnPlan {
  const lengths = new Int32Array(end - start);
  let size = 1;
  for (let i = start; i < end; i++) {
    const value = values[i];
    const length = value === null ? -1 : Buffer.byteLength(value, "utf8");
    lengths[i - start] = length;
    size += 4 + (length < 0 ? 0 : length);
  }
  return {
    size,
    write(out, offset) {
      out[offset] = PLAIN;
      let at = offset + 1;
      for (let i = start; i < end; i++) {
        const length = lengths[i - start];
        at = out.writeUInt32LE(length + 1, at);
        if (length > 0) at += out.write(values[i] as string, at, length, "utf8");
      }
    },
  };
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
    const out = new Float64Array(rows);
    this.numbersInto(rows, out, 0);
    return out;
  }

  /**
   * Decodes a number column straight into `out` from `at`: reading a dataset back fills its final
   * column arrays in place, with no array per chunk to allocate, join and collect (measured on the
   * 198 MiB table: per-chunk arrays cost ~0.4 s of copying and garbage collection of ~2.3 s CPU).
   */
  numbersInto(rows: number, out: Float64Array, at: number): void {
    const tag = this.byte();
    if (tag === FLOAT64) return unshuffle64Into(this.buffer, this.skip(rows * 8), rows, out, at);
    if (tag === FLOAT32) return float32Into(this.buffer, this.skip(rows * 4), rows, out, at);
    if (tag !== SCALED) throw new Error(`unknown number encoding ${tag}`);
    const decimals = this.byte();
    const width = this.byte();
    const hasNaN = this.byte() === 1;
    const min = this.buffer.readDoubleLE(this.offset);
    this.offset += 8;
    if (decimals > MAX_DECIMALS || (width !== 1 && width !== 2 && width !== 4)) throw new Error("bad scaled column");
    const codes = this.skip(rows * width);
    const nanCode = hasNaN ? [0, 0xff, 0xffff, 0, 0xffffffff][width] : -1;
    if (decimals === 0) integersInto(this.buffer, codes, rows, width, nanCode, min, out, at);
    else if (width === 1) scaled8Into(this.buffer, codes, rows, nanCode, min, POWERS[decimals], out, at);
    else if (width === 2) scaled16Into(this.buffer, codes, rows, nanCode, min, POWERS[decimals], out, at);
    else scaled32Into(this.buffer, codes, rows, nanCode, min, POWERS[decimals], out, at);
  }

  /** Moves past a number column without decoding it (its values are decoded on another thread). */
  skipNumbers(rows: number): void {
    const tag = this.byte();
    if (tag === FLOAT64) this.skip(rows * 8);
    else if (tag === FLOAT32) this.skip(rows * 4);
    else if (tag === SCALED) {
      const decimals = this.byte();
      const width = this.byte();
      if (decimals > MAX_DECIMALS || (width !== 1 && width !== 2 && width !== 4)) throw new Error("bad scaled column");
      this.skip(9 + rows * width); // the NaN flag, the minimum, the codes
    } else throw new Error(`unknown number encoding ${tag}`);
  }

  /** Moves past a text column without decoding it. */
  skipTexts(rows: number): void {
    const tag = this.byte();
    if (tag === PLAIN) {
      for (let i = 0; i < rows; i++) {
        const length = this.buffer.readUInt32LE(this.skip(4));
        if (length > 0) this.skip(length - 1);
      }
      return;
    }
    if (tag !== DICTIONARY) throw new Error(`unknown text encoding ${tag}`);
    const width = this.byte();
    if (width !== 1 && width !== 2 && width !== 4) throw new Error("bad dictionary width");
    const count = this.buffer.readUInt32LE(this.skip(4));
    let bytes = 0;
    for (let i = 0; i < count; i++) bytes += this.buffer.readUInt32LE(this.skip(4));
    this.skip(bytes + rows * width);
  }

  texts(rows: number): (string | null)[] {
    const out: (string | null)[] = new Array(rows);
    this.textsInto(rows, out, 0);
    return out;
  }

  /** Decodes a text column straight into `out` from `at` (as numbersInto). */
  textsInto(rows: number, out: (string | null)[], at: number): void {
    const tag = this.byte();
    if (tag === PLAIN) return this.plainTextsInto(rows, out, at);
    if (tag !== DICTIONARY) throw new Error(`unknown text encoding ${tag}`);
    const width = this.byte();
    if (width !== 1 && width !== 2 && width !== 4) throw new Error("bad dictionary width");
    const count = this.buffer.readUInt32LE(this.skip(4));
    const lengths = this.skip(4 * count);
    const dictionary: (string | null)[] = [null];
    for (let i = 0; i < count; i++) dictionary.push(this.take(this.buffer.readUInt32LE(lengths + 4 * i)).toString("utf8"));
    const codes = this.skip(rows * width);
    if (width === 1) dictionary8Into(this.buffer, codes, rows, dictionary, out, at);
    else if (width === 2) dictionary16Into(this.buffer, codes, rows, dictionary, out, at);
    else dictionary32Into(this.buffer, codes, rows, dictionary, out, at);
  }

  private plainTextsInto(rows: number, out: (string | null)[], at: number): void {
    for (let i = 0; i < rows; i++) {
      const length = this.buffer.readUInt32LE(this.skip(4));
      out[at + i] = length === 0 ? null : this.take(length - 1).toString("utf8");
    }
  }

  private byte(): number {
    return this.buffer.readUInt8(this.offset++);
  }

  /** Moves past `length` bytes and returns where they start; throws when the chunk ends first. */
  private skip(length: number): number {
    if (this.offset + length > this.buffer.length) throw new Error("truncated");
    this.offset += length;
    return this.offset - length;
  }

  private take(length: number): Buffer {
    if (this.offset + length > this.buffer.length) throw new Error("truncated");
    const bytes = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return bytes;
  }
}
