import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelRun } from "../../src/core/index";
import { REPO_ROOT, runCli, runCliJson } from "../helpers/cli";
import { git, initRepo } from "../helpers/gitRepo";
import { tempDir } from "../helpers/tempDir";

describe("the quickstart", () => {
  it("mlexp init writes the example workspace, which trains as written and refuses a second init", async () => {
    const dir = tempDir();
    initRepo(dir);
    const written = await runCliJson<{ written: string[] }>(["init"], dir);
    expect(written.written.map((file) => path.relative(dir, file)).sort()).toEqual(
      ["data/customers.csv", "mlexp.config.ts", "src/dataAccessObjectImpl1.ts", "src/featureGeneratorImpl1.ts", "src/modelImpl1.ts", "tsconfig.json"],
    );
    for (const file of written.written.filter((file) => !file.endsWith("tsconfig.json"))) {
      const original = path.join(REPO_ROOT, "examples", "quickstart", path.relative(dir, file));
      expect(fs.readFileSync(file, "utf8")).toBe(fs.readFileSync(original, "utf8"));
    }
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "example");
    const run = await runCliJson<ModelRun>(["train", "--model", "ModelImpl1", "--features", "FeatureGeneratorImpl1", "--dataset", "DataAccessObjectImpl1"], dir);
    expect(run).toMatchObject({ status: "finished", dirty: false, model_class: "ModelImpl1", dataset_rows: 800 });
    const again = await runCli(["init"], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/mlexp\.config\.ts already exists; nothing was written/);
  });

  it("runs the seed's two calls from a script: train, then reproduce from the run_id", async () => {
    const dir = tempDir();
    initRepo(dir);
    await runCliJson(["init"], dir);
    fs.copyFileSync(path.join(REPO_ROOT, "examples", "quickstart", "train.ts"), path.join(dir, "train.ts"));
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "example");
    const result = await runCli(["exec", "train.ts"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/trained run \d{8}-\d{6}-[0-9a-f]{8}: \{"accuracy":/);
    expect(result.stdout).toMatch(/reproduced it as \d{8}-\d{6}-[0-9a-f]{8}: identical/);
    const runs = await runCliJson<ModelRun[]>(["runs"], dir);
    expect(runs).toHaveLength(2);
    expect(runs[0].reproduced_from).toBe(runs[1].run_id);
  });
});
