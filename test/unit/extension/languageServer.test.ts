import { describe, expect, it, vi } from "vitest";
import type { MlexpLanguageClient } from "../../../src/extension/language/languageClient";
import { BackgroundLanguageServer } from "../../../src/extension/language/languageServer";
import type { ComponentsChangedParams } from "../../../src/protocol/language";

const INDEX: ComponentsChangedParams = { workspaces: [{ root: "/w", configPath: "/w/mlexp.config.ts" }], components: [] };

/** The part of the language client BackgroundLanguageServer uses; `client` (the LanguageClient) is never touched. */
function fakeClient(components?: ComponentsChangedParams) {
  return {
    components,
    requestComponents: vi.fn(async () => INDEX),
    notifyRunsChanged: vi.fn(),
    dispose: vi.fn(),
  } satisfies Omit<MlexpLanguageClient, "client">;
}

const asClient = (fake: ReturnType<typeof fakeClient>) => fake as unknown as MlexpLanguageClient;

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe("the language server started in the background", () => {
  it("lets an index request made while it starts wait for it, then serves the pushed index", async () => {
    const start = deferred<MlexpLanguageClient>();
    const server = new BackgroundLanguageServer(() => start.promise, () => undefined);
    const provider = server.indexProvider();
    expect(provider?.components).toBeUndefined();
    const answer = provider?.requestComponents();
    const fake = fakeClient(INDEX);
    start.resolve(asClient(fake));
    expect(await answer).toEqual(INDEX);
    expect(fake.requestComponents).toHaveBeenCalledTimes(1);
    expect(server.indexProvider()?.components).toBe(INDEX);
  });

  it("tells the running server about store changes, and nobody before it runs (it reads the stores when it starts)", async () => {
    const fake = fakeClient();
    const start = deferred<MlexpLanguageClient>();
    const server = new BackgroundLanguageServer(() => start.promise, () => undefined);
    server.notifyRunsChanged("/w");
    start.resolve(asClient(fake));
    expect(await server.whenStarted()).toBe(true);
    expect(fake.notifyRunsChanged).not.toHaveBeenCalled();
    server.notifyRunsChanged("/w");
    expect(fake.notifyRunsChanged).toHaveBeenCalledWith("/w");
  });

  it("says it cannot serve the index when it failed to start, so the view falls back to the worker", async () => {
    const onStartFailed = vi.fn();
    const start = deferred<MlexpLanguageClient>();
    const server = new BackgroundLanguageServer(() => start.promise, onStartFailed);
    const waiting = server.indexProvider()?.requestComponents();
    start.reject(new Error("spawn ENOENT"));
    await expect(waiting).rejects.toThrow("not running");
    expect(await server.whenStarted()).toBe(false);
    expect(onStartFailed).toHaveBeenCalledWith("spawn ENOENT");
    expect(server.indexProvider()).toBeUndefined();
    server.notifyRunsChanged("/w");
  });

  it("stops a server that finishes starting after the extension was deactivated", async () => {
    const fake = fakeClient();
    const start = deferred<MlexpLanguageClient>();
    const server = new BackgroundLanguageServer(() => start.promise, () => undefined);
    server.dispose();
    start.resolve(asClient(fake));
    expect(await server.whenStarted()).toBe(false);
    expect(fake.dispose).toHaveBeenCalledTimes(1);
    expect(server.indexProvider()).toBeUndefined();
  });
});
