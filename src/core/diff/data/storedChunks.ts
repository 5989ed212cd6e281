import type { Column } from "../../data/dataset";
import { decodeHeader, decodeRows } from "../../objects/datasetCodec";
import type { ObjectStore } from "../../objects/objectStore";
import { MlexpError } from "../../util/errors";
import type { ColumnKind } from "../types";

/**
 * A stored dataset opened for comparison: its header and the hashes of its row chunks, read from the
 * object store's manifest and chunk list without reading a single row. Rows are decoded one chunk
 * at a time, only for the chunks a comparison needs. The only place the diff touches the stored
 * format, through the object store's public functions and the codec.
 */
export interface StoredDataset {
  hash: string;
  rows: number;
  target: string;
  columns: { name: string; kind: ColumnKind }[];
  /** Row chunks in order (the header chunk excluded). */
  chunks: string[];
  /** The columns of one row chunk, in header order. */
  readChunk(chunk: string): Column[];
}

export function openStoredDataset(objects: ObjectStore, hash: string): StoredDataset {
  const manifest = objects.readManifest(hash);
  const [headerChunk, ...chunks] = objects.chunkHashes(manifest);
  const header = decodeHeader(readVerified(objects, headerChunk, hash), hash);
  return {
    hash,
    rows: manifest.rows,
    target: header.target,
    columns: header.columns.map((c) => ({ name: c.name, kind: c.kind })),
    chunks,
    readChunk: (chunk) => {
      const decoded = decodeRows(readVerified(objects, chunk, hash), header, hash);
      return header.columns.map((spec, c) =>
        spec.kind === "number"
          ? { name: spec.name, kind: "number", values: decoded.columns[c] as Float64Array }
          : { name: spec.name, kind: "string", values: decoded.columns[c] as (string | null)[] },
      );
    },
  };
}

/** A chunk's content, checked against its hash by the store's chunk files. */
function readVerified(objects: ObjectStore, chunk: string, dataset: string): Buffer {
  const result = objects.chunks.read(chunk);
  if (result === "missing") throw new MlexpError(`A chunk of the stored dataset ${dataset} is missing (${objects.chunkPath(chunk)}).`, "object_missing");
  if (result === "corrupted") {
    throw new MlexpError(`Chunk ${chunk} of the stored dataset ${dataset} is corrupted: its content does not match its hash.`, "object_corrupted");
  }
  return result;
}
