import { describe, expect, it } from "vitest";
import { reportForActionResult } from "../../../../src/extension/compare/actionOutcome";

describe("reportForActionResult", () => {
  it("says nothing when the user cancelled or the workspace is not trusted", () => {
    expect(reportForActionResult("checkout", "r1", undefined)).toEqual({});
    expect(reportForActionResult("checkout", "r1", null)).toEqual({});
    expect(reportForActionResult("checkout", "r1", "text")).toEqual({});
    expect(reportForActionResult("checkout", "r1", { something: 1 })).toEqual({});
  });

  it("passes on the library's refusal, e.g. a dirty working tree", () => {
    const message = "Cannot check out run r1: the working tree has uncommitted changes (a.ts).";
    expect(reportForActionResult("checkout", "r1", { ok: false, message })).toEqual({ notice: { level: "error", text: message } });
    expect(reportForActionResult("worktree", "r1", { ok: false })).toEqual({ notice: { level: "error", text: "Could not worktree run r1." } });
  });

  it("confirms a checkout with its commit and a worktree with its folder", () => {
    expect(reportForActionResult("checkout", "r1", { ok: true, value: { commit: "0123456789abcdef0123" } }).notice?.text).toBe("Checked out the code of run r1 (0123456789ab).");
    expect(reportForActionResult("worktree", "r1", { ok: true, value: "/tmp/w-r1" }).notice?.text).toBe("The code of run r1 is in /tmp/w-r1.");
    expect(reportForActionResult("copyRunId", "r1", { ok: true, value: "r1" }).notice?.text).toBe("Copied r1.");
    expect(reportForActionResult("openArtifacts", "r1", { ok: true })).toEqual({});
  });

  it("reports a reproduction's verdict and compares its run too", () => {
    const outcome = { status: "finished", result: { verdict: "within_tolerance", run: { run_id: "r2" } } };
    expect(reportForActionResult("reproduce", "r1", outcome)).toEqual({ notice: { level: "info", text: "Reproduced run r1 as r2: within tolerance." }, compareAlso: ["r2"] });
    expect(reportForActionResult("reproduce", "r1", { status: "finished", result: { verdict: "different", run: { run_id: "r3" } } }).notice?.level).toBe("warning");
  });

  it("reports a failed or cancelled reproduction", () => {
    expect(reportForActionResult("reproduce", "r1", { status: "failed", message: "boom", code: "internal" })).toEqual({ notice: { level: "error", text: "boom" } });
    expect(reportForActionResult("reproduce", "r1", { status: "cancelled" }).notice?.level).toBe("warning");
  });
});
