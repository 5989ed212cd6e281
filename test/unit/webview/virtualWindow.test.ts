import { describe, expect, it } from "vitest";
import { scrollToReveal, visibleRows } from "../../../webview/compare/table/virtualWindow";

describe("visibleRows", () => {
  it("renders the rows in view plus overscan, within bounds", () => {
    expect(visibleRows(0, 260, 26, 1000, 5)).toEqual({ start: 0, end: 16 });
    expect(visibleRows(2600, 260, 26, 1000, 5)).toEqual({ start: 95, end: 116 });
    expect(visibleRows(26_000, 260, 26, 1000, 5)).toEqual({ start: 994, end: 1000 });
  });

  it("is bounded by the row count whatever the scroll position", () => {
    expect(visibleRows(0, 10_000, 26, 3)).toEqual({ start: 0, end: 3 });
    expect(visibleRows(-50, 260, 26, 3)).toEqual({ start: 0, end: 3 });
    expect(visibleRows(99_999, 260, 26, 3)).toEqual({ start: 0, end: 3 });
  });

  it("renders nothing for no rows", () => {
    expect(visibleRows(0, 260, 26, 0)).toEqual({ start: 0, end: 0 });
    expect(visibleRows(0, 260, 0, 10)).toEqual({ start: 0, end: 0 });
  });

  it("keeps the window small for 10,000 rows", () => {
    const { start, end } = visibleRows(130_000, 600, 26, 10_000);
    expect(end - start).toBeLessThan(50);
    expect(start).toBeLessThanOrEqual(5000);
    expect(end).toBeGreaterThan(5000);
  });
});

describe("scrollToReveal", () => {
  it("scrolls up to a row above the view and down to one below it", () => {
    expect(scrollToReveal(2, 260, 300, 26, 40)).toBe(52);
    expect(scrollToReveal(30, 0, 300, 26, 40)).toBe(31 * 26 - 260);
  });

  it("leaves the scroll position alone when the row is in view", () => {
    expect(scrollToReveal(3, 0, 300, 26, 40)).toBeUndefined();
  });
});
