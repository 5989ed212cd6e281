import { isLittleEndian } from "./byteShuffle";
import type { DecodedRows, Header } from "./datasetCodec";

/**
 * Format 2, written until issue 11 and still read: per chunk a row count, then each column's
 * values — raw little-endian float64 (every NaN the same NaN), or per row a length + 1 (0 for a
 * missing value) and the UTF-8 bytes. test/fixtures/stored-v1 holds a dataset in this format.
 */
export const FORMAT_V2 = "mlexp-dataset/2";

export function decodeRowsV2(buffer: Buffer, header: Header): DecodedRows {
  const rows = buffer.readUInt32LE(0);
  let offset = 4;
  const columns = header.columns.map((spec) => {
    if (spec.kind === "number") {
      const bytes = Buffer.from(buffer.subarray(offset, offset + rows * 8));
      offset += rows * 8;
      if (bytes.length !== rows * 8) throw new Error("truncated");
      return new Float64Array((isLittleEndian ? bytes : Buffer.from(bytes).swap64()).buffer, bytes.byteOffset, rows);
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
}
