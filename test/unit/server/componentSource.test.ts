import { describe, expect, it } from "vitest";
import { LanguageServerComponentSource } from "../../../src/extension/language/languageServerComponentSource";
import type { ComponentsChangedParams, IndexedComponent } from "../../../src/protocol/language";
import type { DescribeResult } from "../../../src/protocol/training";

const component = (name: string, workspace: string): IndexedComponent => ({ kind: "model", name, className: name, builtin: false, description: "", params: [], workspace });

const INDEX: ComponentsChangedParams = {
  workspaces: [{ root: "/a", configPath: "/a/mlexp.config.ts" }, { root: "/b" }],
  components: [component("A", "/a"), component("B", "/b")],
};

const FALLBACK = { describe: async (): Promise<DescribeResult> => ({ kind: "describe", components: [] }) };

describe("the Components view fed by the language server", () => {
  it("lists the components of the view's folder with its config", async () => {
    const source = new LanguageServerComponentSource(() => ({ components: INDEX, requestComponents: async () => INDEX }), () => "/a", FALLBACK);
    const result = await source.describe(true);
    expect(result.components.map((c) => c.name)).toEqual(["A"]);
    expect(result.configPath).toBe("/a/mlexp.config.ts");
  });

  it("asks the server when no index arrived yet, and falls back for unknown folders or no server", async () => {
    const asked = new LanguageServerComponentSource(() => ({ components: undefined, requestComponents: async () => INDEX }), () => "/b", FALLBACK);
    expect((await asked.describe(true)).components.map((c) => c.name)).toEqual(["B"]);
    const unknown = new LanguageServerComponentSource(() => ({ components: INDEX, requestComponents: async () => INDEX }), () => "/c", FALLBACK);
    expect((await unknown.describe(true)).components).toEqual([]);
    const none = new LanguageServerComponentSource(() => undefined, () => "/a", FALLBACK);
    expect((await none.describe(true)).components).toEqual([]);
  });
});
