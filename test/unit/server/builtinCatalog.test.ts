import { describe, expect, it } from "vitest";
import { builtinRegistry, describeComponents } from "../../../src/core";
import { CONFIG_NAMES as CORE_CONFIG_NAMES } from "../../../src/core/workspace/loadWorkspace";
import { BUILTIN_COMPONENTS } from "../../../src/server/builtins/builtinCatalog";
import { CONFIG_NAMES } from "../../../src/server/workspace/projects";

describe("what the server knows without loading the library", () => {
  it("has the built-ins' descriptions as the library gives them (regenerate: npx tsx src/server/builtins/generateCatalog.ts)", () => {
    expect(BUILTIN_COMPONENTS).toEqual(describeComponents(builtinRegistry()));
  });

  it("looks for the same config file names as loadWorkspace", () => {
    expect(CONFIG_NAMES).toEqual(CORE_CONFIG_NAMES);
  });
});
