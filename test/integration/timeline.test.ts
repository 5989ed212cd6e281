import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";
import { initRepo } from "../helpers/gitRepo";
import { tempDir } from "../helpers/tempDir";

const TRAIN = ["train", "--json", "--model", "LogisticRegression", "--dataset", "Synthetic", "--dataset-params", '{"rows":2000,"features":3}'];

/** A timeline line: ms since start, + since the previous mark, this thread's CPU ms (or -), the phase. */
const LINE = /^\s+([\d.]+) ms {2}\+\s*([\d.]+) {2}\s*(\d+|-) {2}(.+)$/;

describe("MLEXP_TIMELINE (the built CLI)", () => {
  it("prints each phase's end with the training thread's CPU, and the storing thread's own CPU (Linux)", async () => {
    const workspace = tempDir();
    initRepo(workspace, { "README.md": "x\n" });
    const result = await runCli(TRAIN, { cwd: workspace, env: { MLEXP_TIMELINE: "1" } });
    expect(result.code).toBe(0);
    const phases = result.stderr
      .split("\n")
      .map((line) => LINE.exec(line))
      .filter((match) => match !== null)
      .map((match) => ({ at: Number(match[1]), cpu: match[3], name: match[4] }));
    const names = phases.map((phase) => phase.name);
    for (const name of ["CLI bundle loaded", "dataset loaded, handed to the storing thread", "pipeline (split, features, fit, evaluate)", "dataset stored (waited for the thread)", "final row"]) {
      expect(names).toContain(name);
    }
    expect(phases.map((phase) => phase.at)).toEqual([...phases.map((phase) => phase.at)].sort((a, b) => a - b));
    if (process.platform !== "linux") return;
    const cpu = phases.map((phase) => Number(phase.cpu));
    expect(cpu.every((ms) => ms > 0)).toBe(true);
    expect(cpu).toEqual([...cpu].sort((a, b) => a - b));
    expect(names.some((name) => /^storing thread's answer received \(its CPU: start-up \d+ ms, storing \d+ ms\)$/.test(name))).toBe(true);
  });

  it("prints nothing without it", async () => {
    const workspace = tempDir();
    initRepo(workspace, { "README.md": "x\n" });
    const result = await runCli(TRAIN, { cwd: workspace });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/timeline/);
  });
});
