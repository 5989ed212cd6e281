import type { CellValue, Column } from "../../data/dataset";
import { murmurFinalise as finalise, murmurMix as mix } from "../../util/murmur";

/**
 * A 53-bit key per row, from the values of the given columns: two independent 32-bit hashes joined,
 * so rows compare as plain numbers (a diff over millions of rows stays cheap). Equal rows always get
 * equal keys; two different rows share a key with a chance of about 2^-53.
 */
export function rowKeys(columns: readonly Column[], rows: number): number[] {
  const keys = new Array<number>(rows);
  const words = columns.map((column) => (column.kind === "number" ? new Uint32Array(canonical(column.values).buffer) : undefined));
  for (let row = 0; row < rows; row++) {
    let h1 = 0x9e3779b9;
    let h2 = 0x85ebca6b;
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c];
      const w = words[c];
      if (w) {
        h1 = mix(mix(h1, w[row * 2]), w[row * 2 + 1]);
        h2 = mix(mix(h2 ^ 0x27d4eb2f, w[row * 2 + 1]), w[row * 2]);
      } else {
        const text = column.values[row] as string | null;
        h1 = mix(h1, text === null ? 0x6e756c6c : fnv(text, 0x811c9dc5));
        h2 = mix(h2 ^ 0x165667b1, text === null ? 0x4e554c4c : fnv(text, 0x01000193));
      }
    }
    keys[row] = (finalise(h1) >>> 0) * 2097152 + (finalise(h2) >>> 11);
  }
  return keys;
}

/** Every NaN as one NaN, so that "missing" equals "missing" whatever its bits. */
function canonical(values: Float64Array): Float64Array {
  const copy = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) copy[i] = values[i] !== values[i] ? NaN : values[i];
  return copy;
}


function fnv(text: string, seed: number): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}

/** A cell as JSON can carry it: a missing number is null. */
export function cellOf(column: Column, row: number): CellValue {
  const value = column.values[row];
  return typeof value === "number" && Number.isNaN(value) ? null : value;
}

export function sameCell(a: CellValue, b: CellValue): boolean {
  return a === b || (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b));
}
