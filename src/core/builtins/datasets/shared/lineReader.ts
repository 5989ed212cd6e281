import * as fs from "node:fs";

const CHUNK_BYTES = 4 * 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * Calls `onLine` for every line of a text file (1-based line numbers, "\r\n" and a leading BOM
 * handled), reading fixed-size chunks so that a file of any size never becomes one giant string
 * (V8 caps strings at about 512 MB). Splitting at the last "\n" byte of a chunk is safe in UTF-8:
 * that byte never occurs inside a multi-byte character.
 */
export function forEachLine(file: string, onLine: (line: string, lineNumber: number) => void, chunkBytes = CHUNK_BYTES): void {
  const fd = fs.openSync(file, "r");
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    let carry = Buffer.alloc(0);
    let lineNumber = 0;
    let atStart = true;
    const emit = (text: string): void => {
      const lines = (atStart ? stripBom(text) : text).split("\n");
      atStart = false;
      for (const line of lines) onLine(stripCarriageReturn(line), ++lineNumber);
    };
    for (;;) {
      const read = fs.readSync(fd, chunk, 0, chunkBytes, null);
      if (read === 0) break;
      const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      const lastNewline = data.lastIndexOf(NEWLINE);
      if (lastNewline >= 0) emit(data.toString("utf8", 0, lastNewline));
      // A copy, because `chunk` is overwritten by the next read.
      carry = Buffer.from(data.subarray(lastNewline + 1));
    }
    if (carry.length) emit(carry.toString("utf8"));
  } finally {
    fs.closeSync(fd);
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function stripCarriageReturn(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
