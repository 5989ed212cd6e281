import { describe, expect, it } from "vitest";
import { runDetailsMarkdown } from "../../../src/extension/runs/runDetails";
import { makeRun } from "../../helpers/runs";

describe("run details Markdown", () => {
  it("shows one run's fields and its parameter objects", () => {
    const text = runDetailsMarkdown([makeRun({ details: { classes: ["no", "yes"] } })]);
    expect(text).toMatch(/^# Run 20261126-064801-3fa9c2d1/);
    expect(text).toContain("| `model_class` | ModelImpl1 |");
    expect(text).toContain("### dataset_params");
    expect(text).toContain('"target": "label"');
    expect(text).toContain("### details");
    expect(text).not.toContain("### reproduction");
  });

  it("compares several runs: what differs per run, what they share once", () => {
    const a = makeRun({ run_id: "20261126-000000-0000000a", metrics: { accuracy: 0.8 }, hyperparameters: { shrinkage: 0.1 } });
    const b = makeRun({ run_id: "20261126-000000-0000000b", metrics: { accuracy: 0.9 }, hyperparameters: { shrinkage: 0.5 } });
    const text = runDetailsMarkdown([a, b]);
    expect(text).toContain("# 2 runs compared");
    expect(text).toContain("| field | `20261126-000000-0000000a` | `20261126-000000-0000000b` |");
    expect(text).toContain("| `metrics.accuracy` | 0.8 | 0.9 |");
    expect(text).toContain("| `params.shrinkage` | 0.1 | 0.5 |");
    expect(text).toContain("| `model_class` | ModelImpl1 |");
  });

  it("says so when there is nothing to show", () => {
    expect(runDetailsMarkdown([])).toBe("# No runs\n");
  });
});
