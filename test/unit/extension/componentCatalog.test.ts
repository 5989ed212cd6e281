import { describe, expect, it, vi } from "vitest";
import { ComponentCatalog, type ComponentSource } from "../../../src/extension/components/componentCatalog";
import type { DescribeResult } from "../../../src/protocol/training";
import { LOGISTIC, MODEL_IMPL } from "./fixtures";

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const result = (components = [LOGISTIC, MODEL_IMPL]): DescribeResult => ({ kind: "describe", components, configPath: "/w/mlexp.config.ts" });

describe("ComponentCatalog", () => {
  it("loads once and serves the cached listing until invalidated", async () => {
    const describe = vi.fn(async () => result());
    const catalog = new ComponentCatalog({ describe }, () => true);
    expect(catalog.current).toBeUndefined();
    const [a, b] = await Promise.all([catalog.load(), catalog.load()]);
    expect(a).toBe(b);
    expect(await catalog.load()).toBe(a);
    expect(describe).toHaveBeenCalledTimes(1);
    expect(a).toEqual({ components: [LOGISTIC, MODEL_IMPL], configPath: "/w/mlexp.config.ts", workspaceComponentsListed: true });
    const changed = vi.fn();
    catalog.onDidChange(changed);
    catalog.invalidate();
    expect(changed).toHaveBeenCalledTimes(1);
    await catalog.load();
    expect(describe).toHaveBeenCalledTimes(2);
  });

  it("does not let a load that began before an invalidation answer for after it", async () => {
    const first = deferred<DescribeResult>();
    const describe = vi.fn<ComponentSource["describe"]>().mockReturnValueOnce(first.promise).mockResolvedValueOnce(result([MODEL_IMPL]));
    const catalog = new ComponentCatalog({ describe }, () => true);
    const stale = catalog.load();
    catalog.invalidate();
    const fresh = catalog.load();
    first.resolve(result([LOGISTIC]));
    expect((await stale).components).toEqual([LOGISTIC]);
    expect((await fresh).components).toEqual([MODEL_IMPL]);
    expect(catalog.current?.components).toEqual([MODEL_IMPL]);
  });

  it("asks for built-ins only in an untrusted workspace", async () => {
    const describe = vi.fn(async (loadUserCode: boolean) => result(loadUserCode ? [LOGISTIC, MODEL_IMPL] : [LOGISTIC]));
    const listing = await new ComponentCatalog({ describe }, () => false).load();
    expect(describe).toHaveBeenCalledWith(false);
    expect(listing).toMatchObject({ components: [LOGISTIC], workspaceComponentsListed: false });
  });

  it("lists the workspace's components in an untrusted workspace when they were read from the source, not run", async () => {
    const describe = vi.fn(async () => ({ ...result(), fromSourceIndex: true }));
    const listing = await new ComponentCatalog({ describe }, () => false).load();
    expect(listing).toMatchObject({ components: [LOGISTIC, MODEL_IMPL], workspaceComponentsListed: true });
  });

  it("falls back to the built-ins, with the error, when the workspace's config fails", async () => {
    const describe = vi.fn(async (loadUserCode: boolean) => {
      if (loadUserCode) throw new Error("Could not load mlexp.config.ts: Unexpected token");
      return result([LOGISTIC]);
    });
    const listing = await new ComponentCatalog({ describe }, () => true).load();
    expect(listing).toEqual({ components: [LOGISTIC], workspaceComponentsListed: false, loadError: "Could not load mlexp.config.ts: Unexpected token" });
  });

  it("still answers when even the built-ins cannot be listed", async () => {
    const listing = await new ComponentCatalog({ describe: async () => Promise.reject(new Error("no node")) }, () => true).load();
    expect(listing).toEqual({ components: [], workspaceComponentsListed: false, loadError: "no node" });
  });
});
