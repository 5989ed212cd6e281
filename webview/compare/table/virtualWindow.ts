/** The rows a virtualised list renders: [start, end), with some overscan so fast scrolling shows no gaps. */
export interface RowWindow {
  start: number;
  end: number;
}

export function visibleRows(scrollTop: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan = 8): RowWindow {
  if (rowCount <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(first, rowCount - 1) - overscan);
  const end = Math.min(rowCount, first + visible + overscan);
  return { start, end: Math.max(start, end) };
}

/**
 * The scrollTop that brings row `index` fully into view below a sticky header of `headerHeight`, or
 * undefined when it already is (keyboard navigation scrolls only as much as it must).
 */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number, headerHeight: number): number | undefined {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  const visibleTop = scrollTop;
  const visibleBottom = scrollTop + viewportHeight - headerHeight;
  if (top < visibleTop) return top;
  if (bottom > visibleBottom) return bottom - (viewportHeight - headerHeight);
  return undefined;
}
