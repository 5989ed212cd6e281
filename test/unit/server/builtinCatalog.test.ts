import { describe, expect, it } from "vitest";
import { builtinRegistry, describeComponents } from "../../../src/core";
import { BUILTIN_COMPONENTS } from "../../../src/server/builtins/builtinCatalog";

describe("what the server knows without loading the library", () => {
  it("has the built-ins' descriptions as the library gives them (regenerate: npx tsx src/server/builtins/generateCatalog.ts)", () => {
    expect(BUILTIN_COMPONENTS).toEqual(describeComponents(builtinRegistry()));
  });
});
