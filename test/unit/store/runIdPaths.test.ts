import { describe, expect, it } from "vitest";
import { RunRepository } from "../../../src/extension/runs/runRepository";
import { tempDir } from "../../helpers/tempDir";

describe("run ids are checked before they become paths", () => {
  it("the extension's artifact folder refuses anything but a run id", () => {
    const repository = new RunRepository(tempDir());
    for (const bad of ["../../etc", "20261126-064801-3fa9c2d1/../../x", "", "a b"]) expect(() => repository.runDir(bad)).toThrow(/is not a run id/);
    expect(repository.runDir("20261126-064801-3fa9c2d1")).toMatch(/\.mlexp\/runs\/20261126-064801-3fa9c2d1$/);
  });
});
