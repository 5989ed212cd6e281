import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ModelRun } from "../../../src/core/store/runRecord";
import type { RunCommandDeps } from "../../../src/extension/runs/runCommands";
import { makeRun } from "../../helpers/runs";
import { fake, reset } from "./compare/fakeVscode";

vi.mock("vscode", () => import("./compare/fakeVscode"));

const { deleteRunCommand } = await import("../../../src/extension/runs/runCommands");

const node = (run: ModelRun) => ({ kind: "run", run }) as const;

function deps(runs: ModelRun[], ownTraining?: string) {
  const remove = vi.fn(async () => undefined);
  const value = {
    repository: () => ({ delete: remove }),
    runsView: { allRuns: async () => runs, options: () => ({ groupByModel: false }), reload: async () => undefined },
    trainings: { trainingOfRun: (id: string) => (id === ownTraining ? { id: 1 } : undefined) },
  } as unknown as RunCommandDeps;
  return { value, remove };
}

beforeEach(() => reset());

describe("Delete Run from the Runs view", () => {
  it("refuses a run that is training in another window or a terminal, saying so", async () => {
    const run = makeRun({ run_id: "20261126-000000-00000001", status: "running", pid: 4242 });
    const { value, remove } = deps([run]);
    await deleteRunCommand(value, node(run), undefined);
    expect(remove).not.toHaveBeenCalled();
    expect(fake.messages).toEqual(["Run 20261126-000000-00000001 is still training (process 4242, started elsewhere): stop it where it was started, then delete it."]);
  });

  it("refuses a run that trains in this window, pointing at Cancel Training", async () => {
    const run = makeRun({ run_id: "20261126-000000-00000002", status: "running" });
    const { value, remove } = deps([run], run.run_id);
    await deleteRunCommand(value, node(run), undefined);
    expect(remove).not.toHaveBeenCalled();
    expect(fake.messages[0]).toMatch(/still training in this window: cancel it first \(Cancel Training\)/);
  });

  it("asks before deleting a run that has ended", async () => {
    const run = makeRun({ run_id: "20261126-000000-00000003", status: "crashed" });
    const { value } = deps([run]);
    await deleteRunCommand(value, node(run), undefined);
    expect(fake.messages).toEqual(["Delete run 20261126-000000-00000003?"]);
  });
});
