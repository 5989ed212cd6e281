/**
 * Sorts row indices by value with an LSD radix sort on the values' IEEE bits, 16 bits per pass.
 * Binning sorts every feature column once: for 100k rows this and the walk it enables (instead of
 * a binary search per value) take a third of the time of TypedArray sort plus binary searches.
 * Scratch buffers are kept between columns.
 */
export class ColumnSorter {
  private readonly order: Uint32Array;
  private readonly spare: Uint32Array;
  /** Per row, its value's bits as two words (low, high) whose unsigned order is numeric order. */
  private readonly keys: Uint32Array;
  private readonly counts = new Int32Array(1 << 16);

  constructor(private readonly rows: number) {
    this.order = new Uint32Array(rows);
    this.spare = new Uint32Array(rows);
    this.keys = new Uint32Array(2 * rows);
  }

  /**
   * The row indices of `values` (finite, `rows` of them) in ascending order of value; the array is
   * reused by the next call. -0 sorts before +0, which compare equal anyway.
   */
  argsort(values: Float64Array): Uint32Array {
    const n = this.rows;
    this.writeKeys(values);
    let from = this.order;
    let to = this.spare;
    for (let i = 0; i < n; i++) from[i] = i;
    for (let pass = 0; pass < 4; pass++) {
      if (this.placeByDigit(from, to, pass >> 1, (pass & 1) * 16)) [from, to] = [to, from];
    }
    return from;
  }

  /**
   * Positive doubles order like their bits with the sign bit set; negative ones like their bits
   * inverted (larger magnitude, smaller value).
   */
  private writeKeys(values: Float64Array): void {
    const bits = new Uint32Array(values.buffer, values.byteOffset, 2 * this.rows);
    const keys = this.keys;
    for (let i = 0; i < 2 * this.rows; i += 2) {
      const low = bits[i];
      const high = bits[i + 1];
      const negative = high >>> 31 === 1;
      keys[i] = negative ? ~low >>> 0 : low;
      keys[i + 1] = negative ? ~high >>> 0 : (high | 0x80000000) >>> 0;
    }
  }

  /**
   * One stable counting-sort pass of `from` into `to` by the 16-bit digit at `shift` of key word
   * `word`; returns false (and moves nothing) when every row has the same digit, as the low bits
   * of whole numbers do.
   */
  private placeByDigit(from: Uint32Array, to: Uint32Array, word: number, shift: number): boolean {
    const { keys, counts } = this;
    const n = this.rows;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(keys[2 * i + word] >>> shift) & 0xffff]++;
    if (n === 0 || counts[(keys[word] >>> shift) & 0xffff] === n) return false;
    for (let digit = 0, start = 0; digit < counts.length; digit++) {
      const count = counts[digit];
      counts[digit] = start;
      start += count;
    }
    for (let i = 0; i < n; i++) {
      const row = from[i];
      to[counts[(keys[2 * row + word] >>> shift) & 0xffff]++] = row;
    }
    return true;
  }
}
