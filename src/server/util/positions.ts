import type { Position, Range } from "vscode-languageserver";
import type { Span } from "../parse/facts";

/** What position conversion needs of a file: its text and (cached) line starts. */
export interface TextWithLines {
  readonly text: string;
  lineStarts?: number[];
}

function lineStarts(file: TextWithLines): number[] {
  if (!file.lineStarts) {
    const starts = [0];
    const text = file.text;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      // \r\n, \n and a lone \r all end a line, as in LSP.
      if (code === 13 && text.charCodeAt(i + 1) === 10) continue;
      if (code === 10 || code === 13) starts.push(i + 1);
    }
    file.lineStarts = starts;
  }
  return file.lineStarts;
}

/** Offsets are UTF-16 code units, as are LSP characters by default: no conversion needed. */
export function positionAt(file: TextWithLines, offset: number): Position {
  const starts = lineStarts(file);
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low, character: offset - starts[low] };
}

export function offsetAt(file: TextWithLines, position: Position): number {
  const starts = lineStarts(file);
  const line = Math.min(Math.max(position.line, 0), starts.length - 1);
  const next = line + 1 < starts.length ? starts[line + 1] : file.text.length;
  return Math.min(starts[line] + Math.max(position.character, 0), next);
}

export function rangeOf(file: TextWithLines, span: Span): Range {
  return { start: positionAt(file, span.start), end: positionAt(file, span.end) };
}
