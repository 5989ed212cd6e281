import * as fs from "node:fs/promises";
import * as path from "node:path";
import { MlexpError } from "../../../util/errors";
import { isPlainObject } from "../../../util/json";

/**
 * Saved models are small JSON documents tagged with a format name and version, so that loading a
 * file written by another model class, or by a future incompatible version, fails with a clear
 * message. JavaScript doubles survive JSON exactly, so loaded weights equal trained ones.
 */
export interface SavedModelHeader {
  format: string;
  version: number;
}

export async function writeModelJson(dir: string, file: string, header: SavedModelHeader, body: object): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, file), JSON.stringify({ ...header, ...body }));
}

/** The saved document's fields, after checking that it is the expected format and version. */
export async function readModelJson(dir: string, file: string, expected: SavedModelHeader): Promise<Record<string, unknown>> {
  const where = path.join(dir, file);
  let text: string;
  try {
    text = await fs.readFile(where, "utf8");
  } catch (error) {
    throw new MlexpError(`Cannot read the saved model ${where}: ${(error as Error).message}`, "object_missing");
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new MlexpError(`The saved model ${where} is not valid JSON.`, "object_corrupted");
  }
  if (!isPlainObject(doc) || doc.format !== expected.format) {
    const found = isPlainObject(doc) ? JSON.stringify(doc.format) : "no format";
    throw new MlexpError(`${where} is not a saved ${expected.format} model (found ${found}).`, "object_corrupted");
  }
  if (doc.version !== expected.version) {
    throw new MlexpError(
      `${where} was saved in version ${JSON.stringify(doc.version)} of the ${expected.format} format; this mlexp reads version ${expected.version}.`,
      "object_corrupted",
    );
  }
  return doc;
}

/** Reads a field that must be an array of finite numbers, optionally of a known length. */
export function numberArrayField(doc: Record<string, unknown>, field: string, length?: number): number[] {
  const value = doc[field];
  const ok =
    Array.isArray(value) &&
    value.every((v) => typeof v === "number" && Number.isFinite(v)) &&
    (length === undefined || value.length === length);
  if (!ok) throw corrupted(field, length === undefined ? "an array of numbers" : `${length} numbers`);
  return value as number[];
}

/** Reads a field that must be `rows` arrays of `cols` finite numbers each. */
export function numberRowsField(doc: Record<string, unknown>, field: string, rows: number, cols: number): number[][] {
  const value = doc[field];
  const ok =
    Array.isArray(value) &&
    value.length === rows &&
    value.every((row) => Array.isArray(row) && row.length === cols && row.every((v) => typeof v === "number" && Number.isFinite(v)));
  if (!ok) throw corrupted(field, `${rows} rows of ${cols} numbers`);
  return value as number[][];
}

export function numberField(doc: Record<string, unknown>, field: string): number {
  const value = doc[field];
  if (typeof value !== "number" || !Number.isFinite(value)) throw corrupted(field, "a finite number");
  return value;
}

export function integerField(doc: Record<string, unknown>, field: string, min: number): number {
  const value = doc[field];
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) throw corrupted(field, `a whole number ≥ ${min}`);
  return value;
}

export function stringArrayField(doc: Record<string, unknown>, field: string): string[] {
  const value = doc[field];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw corrupted(field, "an array of strings");
  return value as string[];
}

function corrupted(field: string, expected: string): MlexpError {
  return new MlexpError(`The saved model's "${field}" should be ${expected}.`, "object_corrupted");
}
