import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { CROSS_PROCESS_CASES, fitCase, outputBits } from "./fixtures/crossProcessCases";
import { tempDir } from "./helpers";

const run = promisify(execFile);
const CHILD = path.join(__dirname, "fixtures", "fitInChild.ts");
const REPO = path.resolve(__dirname, "..", "..", "..");

/**
 * Reproduction means a fresh process gets the same bits: no state carried in the process (module
 * caches, global random generators, tfjs's variable counters) may leak into a result.
 */
describe.each(Object.keys(CROSS_PROCESS_CASES))("%s in a fresh process", (name) => {
  it("trains to bit-identical output, and loads the model saved here to bit-identical output", async () => {
    const model = await fitCase(name);
    const expected = await outputBits(model);
    const dir = tempDir("cross");
    await model.save(dir);
    model.dispose?.();
    const { stdout } = await run(process.execPath, ["--import", "tsx", CHILD, name, dir], {
      cwd: REPO,
      env: { ...process.env, NODE_OPTIONS: "" },
      maxBuffer: 16 * 1024 * 1024,
    });
    const child = JSON.parse(stdout) as { fitted: string; loaded: string };
    expect(expected.length).toBeGreaterThan(100);
    expect(child.fitted).toBe(expected);
    expect(child.loaded).toBe(expected);
  });
});
