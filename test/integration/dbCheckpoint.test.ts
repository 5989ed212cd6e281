import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { ModelRun } from "../../src/core/index";
import { runCliJson } from "../helpers/cli";
import { queryRawDatabaseFile } from "../helpers/sqlite";
import { tempDir } from "../helpers/tempDir";

const FAST = ["--model", "LogisticRegression", "--model-params", '{"epochs": 3}', "--dataset", "Synthetic", "--dataset-params", '{"rows": 200}'];

describe("mlexp db checkpoint", () => {
  it("folds the journal of a CLI training into .mlexp/mlexp.db, which another SQLite reader then sees whole", async () => {
    const dir = tempDir();
    const run = await runCliJson<ModelRun>(["train", ...FAST], dir);
    const file = path.join(dir, ".mlexp", "mlexp.db");
    // The training appended its writes to the journal; the file alone does not have the run yet.
    expect(await queryRawDatabaseFile(file, `SELECT run_id FROM model_runs WHERE run_id = '${run.run_id}'`)).toEqual([]);
    const folded = await runCliJson<{ database: string; foldedBytes: number }>(["db", "checkpoint"], dir);
    expect(folded.database).toBe(file);
    expect(folded.foldedBytes).toBeGreaterThan(0);
    expect(await queryRawDatabaseFile(file, `SELECT status FROM model_runs WHERE run_id = '${run.run_id}'`)).toEqual([{ status: "finished" }]);
    const points = await queryRawDatabaseFile(file, `SELECT count(*) AS n FROM metric_history WHERE run_id = '${run.run_id}'`);
    expect(Number(points[0].n)).toBeGreaterThan(0);
    // The new journal holds only its header; the CLI still lists the run.
    expect(fs.readFileSync(path.join(dir, ".mlexp", "mlexp.journal"), "utf8").trim().split("\n")).toHaveLength(1);
    expect((await runCliJson<ModelRun[]>(["runs"], dir)).map((r) => r.run_id)).toEqual([run.run_id]);
  });
});
