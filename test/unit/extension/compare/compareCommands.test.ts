import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ModelRun } from "../../../../src/core/store/runRecord";
import type { RunCommandDeps } from "../../../../src/extension/runs/runCommands";
import type { RunComparer } from "../../../../src/extension/runs/runComparer";
import type { RunsView } from "../../../../src/extension/runs/runsView";
import { makeRun } from "../../../helpers/runs";
import { fake, reset } from "./fakeVscode";

vi.mock("vscode", () => import("./fakeVscode"));

const { compareRunsCommand, compareWithCommand } = await import("../../../../src/extension/runs/runCommands");

// How the comparison commands reach the comparison panel: the Runs view's multi-selection, the
// CodeLens's `{ model }`, "Compare With…" on a run or from the palette.

const FOLDER = "/workspace";
const runs: ModelRun[] = [
  makeRun({ run_id: "a", model_class: "M", start_time: "2026-11-26T01:00:00.000Z" }),
  makeRun({ run_id: "b", model_class: "M", start_time: "2026-11-26T02:00:00.000Z" }),
  makeRun({ run_id: "c", model_class: "N", start_time: "2026-11-26T03:00:00.000Z" }),
];
const node = (run: ModelRun) => ({ kind: "run", run }) as const;

let comparer: { [K in keyof RunComparer]: ReturnType<typeof vi.fn> };

function deps(): RunCommandDeps {
  // Only what the comparison commands use: the folder, the Runs view's runs, the comparer.
  const runsView = { allRuns: async () => runs, options: () => ({ groupByModel: false }) } as unknown as RunsView;
  return { folder: () => FOLDER, runsView, comparer } as unknown as RunCommandDeps;
}

beforeEach(() => {
  reset();
  comparer = { compare: vi.fn(async () => undefined), showModel: vi.fn(async () => undefined), compareWith: vi.fn(async () => undefined) };
});

describe("Compare Runs", () => {
  it("compares the Runs view's multi-selection, whichever row was right-clicked", async () => {
    await compareRunsCommand(deps(), node(runs[2]), [node(runs[0]), node(runs[2])]);
    expect(comparer.compare).toHaveBeenCalledWith(["a", "c"]);
  });

  it("follows a model for the CodeLens's { model } rather than fixing its runs now", async () => {
    await compareRunsCommand(deps(), { model: "M", workspace: FOLDER }, undefined);
    expect(comparer.showModel).toHaveBeenCalledWith("M");
    expect(comparer.compare).not.toHaveBeenCalled();
  });

  it("refuses a lens of another workspace, saying so", async () => {
    await compareRunsCommand(deps(), { model: "M", workspace: "/elsewhere" }, undefined);
    expect(comparer.showModel).not.toHaveBeenCalled();
    expect(fake.messages.join("\n")).toMatch(/another mlexp workspace/);
  });

  it("asks for the runs from the palette, and does nothing when the user cancels", async () => {
    fake.quickPick = (items) => items.filter((item) => item.runId !== "b");
    await compareRunsCommand(deps(), undefined, undefined);
    expect(comparer.compare).toHaveBeenCalledWith(["c", "a"]);
    fake.quickPick = () => undefined;
    await compareRunsCommand(deps(), undefined, undefined);
    expect(comparer.compare).toHaveBeenCalledTimes(1);
  });
});

describe("Compare With…", () => {
  it("compares the run it was invoked on with runs the panel asks for", async () => {
    await compareWithCommand(deps(), node(runs[1]));
    expect(comparer.compareWith).toHaveBeenCalledWith("b");
  });

  it("asks for the run first from the palette", async () => {
    fake.quickPick = (items) => items.find((item) => item.runId === "a");
    await compareWithCommand(deps(), undefined);
    expect(comparer.compareWith).toHaveBeenCalledWith("a");
  });
});
