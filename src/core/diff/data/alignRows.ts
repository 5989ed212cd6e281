import { diffArrays } from "diff";

/** Where rows of A went in B: the pairs that changed, the rows only A or only B has (indices capped). */
export interface RowAlignment {
  changed: number;
  removed: number;
  added: number;
  /** Up to `keep` examples of each: [row in A, row in B] for changed rows, row indices otherwise. */
  changedRows: [number, number][];
  removedRows: number[];
  addedRows: number[];
  /** True when rows were matched by content because an in-order alignment was too costly. */
  approximate: boolean;
}

/** Above this many differing rows (after trimming the equal ends) an in-order alignment is not attempted. */
const MAX_ALIGNED_ROWS = 200_000;
/** The in-order alignment gives up past this many edits and rows are matched by content instead. */
const MAX_EDITS = 2_000;

/**
 * Aligns two sequences of row keys in order (Myers' diff, from the `diff` package) and reads the
 * edits as a person would: a run of removed rows next to a run of added rows is that many changed
 * rows, and what is left over was removed or added. Equal leading and trailing rows are skipped
 * first, so an appended dataset or an edited row costs one pass. When the middle is too large or too
 * different to align, rows are matched by content (a multiset): counts stay exact for added and
 * removed rows, and unmatched rows are paired in order as changed.
 */
export function alignRows(a: readonly number[], b: readonly number[], keep: number): RowAlignment {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const result = emptyAlignment();
  const middleA = a.slice(start, endA);
  const middleB = b.slice(start, endB);
  if (!middleA.length || !middleB.length) {
    pairUp(result, range(start, endA), range(start, endB), keep);
    return result;
  }
  const edits = middleA.length + middleB.length <= MAX_ALIGNED_ROWS ? diffArrays(middleA, middleB, { maxEditLength: MAX_EDITS }) : undefined;
  if (!edits) return matchByContent(result, middleA, middleB, start, keep);
  let atA = start;
  let atB = start;
  let removed: number[] = [];
  let added: number[] = [];
  for (const edit of edits) {
    if (edit.removed) removed = removed.concat(range(atA, (atA += edit.count)));
    else if (edit.added) added = added.concat(range(atB, (atB += edit.count)));
    else {
      pairUp(result, removed, added, keep);
      removed = [];
      added = [];
      atA += edit.count;
      atB += edit.count;
    }
  }
  pairUp(result, removed, added, keep);
  return result;
}

function matchByContent(result: RowAlignment, a: number[], b: number[], offset: number, keep: number): RowAlignment {
  const counts = new Map<number, number>();
  for (const key of a) counts.set(key, (counts.get(key) ?? 0) + 1);
  const onlyB: number[] = [];
  b.forEach((key, i) => {
    const left = counts.get(key) ?? 0;
    if (left > 0) counts.set(key, left - 1);
    else onlyB.push(offset + i);
  });
  const onlyA: number[] = [];
  // The rows of A not matched are the last occurrences of each key: the count left says how many.
  for (let i = a.length - 1; i >= 0; i--) {
    const left = counts.get(a[i]) ?? 0;
    if (left > 0) {
      counts.set(a[i], left - 1);
      onlyA.push(offset + i);
    }
  }
  onlyA.reverse();
  pairUp(result, onlyA, onlyB, keep);
  result.approximate = true;
  return result;
}

function pairUp(result: RowAlignment, removed: number[], added: number[], keep: number): void {
  const pairs = Math.min(removed.length, added.length);
  for (let i = 0; i < pairs && result.changedRows.length < keep; i++) result.changedRows.push([removed[i], added[i]]);
  for (let i = pairs; i < removed.length && result.removedRows.length < keep; i++) result.removedRows.push(removed[i]);
  for (let i = pairs; i < added.length && result.addedRows.length < keep; i++) result.addedRows.push(added[i]);
  result.changed += pairs;
  result.removed += removed.length - pairs;
  result.added += added.length - pairs;
}

function emptyAlignment(): RowAlignment {
  return { changed: 0, removed: 0, added: 0, changedRows: [], removedRows: [], addedRows: [], approximate: false };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}
