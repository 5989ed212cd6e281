import { forEachLine } from "./lineReader";

/**
 * The line on which a CSV file opens a double quote that it never closes, or undefined. csv-parse
 * only reports where the file ended, which is useless in a large file; this rescan runs only when
 * that error has already happened. An escaped quote ("") toggles twice, so it needs no special case.
 */
export function lineOfUnclosedQuote(file: string): number | undefined {
  let open = false;
  let openedOn = 0;
  forEachLine(file, (line, lineNumber) => {
    for (let i = line.indexOf('"'); i >= 0; i = line.indexOf('"', i + 1)) {
      open = !open;
      if (open) openedOn = lineNumber;
    }
  });
  return open ? openedOn : undefined;
}
