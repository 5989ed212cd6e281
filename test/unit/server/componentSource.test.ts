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
    expect(result.fromSourceIndex).toBe(true);
  });

  it("lists the workspace's components when asked for built-ins only: it reads the source, runs none of it", async () => {
    const source = new LanguageServerComponentSource(() => ({ components: INDEX, requestComponents: async () => INDEX }), () => "/a", FALLBACK);
    expect((await source.describe(false)).components.map((c) => c.name)).toEqual(["A"]);
  });

  it("lets the worker list a trusted workspace whose index misses computed names or parameters, not an untrusted one", async () => {
    const incomplete: ComponentsChangedParams = { ...INDEX, workspaces: [{ root: "/a", incomplete: true }] };
    const source = new LanguageServerComponentSource(() => ({ components: incomplete, requestComponents: async () => incomplete }), () => "/a", FALLBACK);
    expect(await source.describe(true)).toEqual({ kind: "describe", components: [] });
    expect((await source.describe(false)).components.map((c) => c.name)).toEqual(["A"]);
  });

  it("falls back when the server cannot answer (it failed to start or crashed)", async () => {
    const failing = { components: undefined, requestComponents: async () => Promise.reject(new Error("Client is not running")) };
    const source = new LanguageServerComponentSource(() => failing, () => "/a", FALLBACK);
    const result = await source.describe(true);
    expect(result.components).toEqual([]);
    expect(result.fromSourceIndex).toBeUndefined();
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
