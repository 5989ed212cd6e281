import * as fs from "node:fs";
import { INPUT_LIMITS, inputTooLarge, lineTooLong } from "./files";
import { LF } from "./charCodes";

/** The most a file and one line of it may take, and how to name the file in the error. */
export interface LineLimits {
  source: string;
  owner?: string;
  maxBytes: number;
  maxLineBytes: number;
}

const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Calls `onLine` for every line of a text file (1-based line numbers, "\r\n" and a leading BOM
 * handled), reading fixed-size chunks so that a file of any size never becomes one giant string
 * (V8 caps strings at about 512 MB). Splitting at the last "\n" byte of a chunk is safe in UTF-8:
 * that byte never occurs inside a multi-byte character.
 */
export function forEachLine(
  file: string,
  onLine: (line: string, lineNumber: number) => void,
  chunkBytes = CHUNK_BYTES,
  limits: LineLimits = { source: JSON.stringify(file), ...INPUT_LIMITS },
): void {
  const fd = fs.openSync(file, "r");
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    let carry = Buffer.alloc(0);
    let lineNumber = 0;
    let atStart = true;
    let total = 0;
    const emit = (text: string): void => {
      const lines = (atStart ? stripBom(text) : text).split("\n");
      atStart = false;
      for (const line of lines) onLine(stripCarriageReturn(line), ++lineNumber);
    };
    for (;;) {
      const read = fs.readSync(fd, chunk, 0, chunkBytes, null);
      if (read === 0) break;
      total += read;
      // Checked as it reads: a file may grow meanwhile, or have no line breaks at all.
      if (total > limits.maxBytes) throw inputTooLarge(limits.owner ?? "The reader", limits.source, limits.maxBytes);
      const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      const lastNewline = data.lastIndexOf(LF);
      if (data.length > limits.maxLineBytes) checkLineLengths(data, lastNewline, lineNumber, limits);
      if (lastNewline >= 0) emit(data.toString("utf8", 0, lastNewline));
      // A copy, because `chunk` is overwritten by the next read.
      carry = Buffer.from(data.subarray(lastNewline + 1));
      if (carry.length > limits.maxLineBytes) throw lineTooLong(limits.source, lineNumber + 1, limits.maxLineBytes);
    }
    if (carry.length) emit(carry.toString("utf8"));
  } finally {
    fs.closeSync(fd);
  }
}

/** Throws when a complete line of `data` (up to `end`) is longer than the limit. */
function checkLineLengths(data: Buffer, end: number, linesBefore: number, limits: LineLimits): void {
  let start = 0;
  let line = linesBefore;
  while (start <= end) {
    const next = data.indexOf(LF, start);
    line++;
    if (next - start > limits.maxLineBytes) throw lineTooLong(limits.source, line, limits.maxLineBytes);
    start = next + 1;
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function stripCarriageReturn(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
