import { describe, expect, it } from "vitest";
import { isFromWebview, isMessage, isToWebview, selectionOfState, type ToWebview } from "../../../../src/protocol/compare";

describe("isFromWebview", () => {
  it("accepts every well-formed message", () => {
    for (const message of [
      { type: "ready" },
      { type: "runAction", action: "checkout", runId: "r1" },
      { type: "addRuns" },
      { type: "removeRuns", runIds: ["r1"] },
      { type: "exportCsv", csv: "a\r\n", fileName: "x.csv" },
      { type: "requestCurves", runIds: [] },
      { type: "requestTrials", runId: "r1" },
    ]) {
      expect(isFromWebview(message), JSON.stringify(message)).toBe(true);
    }
  });

  it("rejects malformed and unknown messages", () => {
    for (const message of [
      null,
      "ready",
      [],
      {},
      { type: "toString" },
      { type: "constructor" },
      { type: "runAction", action: "rm -rf", runId: "r1" },
      { type: "runAction", action: "checkout" },
      { type: "removeRuns", runIds: [1] },
      { type: "exportCsv", csv: 3, fileName: "x" },
      { type: "requestTrials" },
      { type: "runs", runs: [] },
    ]) {
      expect(isFromWebview(message), JSON.stringify(message)).toBe(false);
    }
  });
});

describe("isToWebview", () => {
  it("accepts the extension's messages and nothing else", () => {
    expect(isToWebview({ type: "runs", runs: [], deleted: [], selection: { runIds: [] }, title: "0 runs" })).toBe(true);
    expect(isToWebview({ type: "curves", curves: [] })).toBe(true);
    expect(isToWebview({ type: "trials", runId: "r", trials: [] })).toBe(true);
    expect(isToWebview({ type: "notice", level: "error", text: "x" })).toBe(true);
    expect(isToWebview({ type: "notice", level: "fatal", text: "x" })).toBe(false);
    expect(isToWebview({ type: "runs", runs: [], deleted: [], selection: {}, title: "x" })).toBe(false);
    expect(isToWebview({ type: "ready" })).toBe(false);
    // Other code in a page may post messages of its own.
    expect(isToWebview({ source: "react-devtools" })).toBe(false);
  });
});

describe("isMessage", () => {
  it("narrows a message by its type", () => {
    const message = { type: "notice", level: "info", text: "hello" } as ToWebview;
    expect(isMessage(message, "notice") && message.text).toBe("hello");
    expect(isMessage(message, "runs")).toBe(false);
  });
});

describe("selectionOfState", () => {
  it("reads the selection a panel saved, whatever else the state holds", () => {
    expect(selectionOfState({ selection: { runIds: ["a"] }, view: {} })).toEqual({ runIds: ["a"] });
    expect(selectionOfState({ selection: { runIds: ["a"], followModel: "M", removed: ["b"] } })).toEqual({ runIds: ["a"], followModel: "M", removed: ["b"] });
    expect(selectionOfState({ selection: { runIds: ["a"], followModel: 3 } })).toBeUndefined();
    expect(selectionOfState(undefined)).toBeUndefined();
    expect(selectionOfState({ runIds: ["a"] })).toBeUndefined();
  });
});
