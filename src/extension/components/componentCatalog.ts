import type { DescribeResult } from "../../protocol/training";
import { Emitter, type Disposable } from "../util/emitter";
import type { ComponentListing } from "./componentTree";

/**
 * Where the component list comes from: the language server's index of the workspace's source
 * (src/extension/language), or a training process that loads the workspace's mlexp.config.ts
 * (the extension host never runs user code or TensorFlow.js).
 */
export interface ComponentSource {
  describe(loadUserCode: boolean): Promise<ComponentSourceResult>;
}

export interface ComponentSourceResult extends DescribeResult {
  /** The workspace's components were read from its source, not by running it: listed in an untrusted workspace too. */
  fromSourceIndex?: boolean;
}

/**
 * The workspace's components, loaded on first use and again after `invalidate()` (a config or
 * component file changed). Callers during a load share it; an invalidation during a load starts
 * a fresh one for the next caller, so a change is never lost to a load that began before it.
 */
export class ComponentCatalog implements Disposable {
  private generation = 0;
  private cached: { generation: number; listing: ComponentListing } | undefined;
  private inFlight: { generation: number; promise: Promise<ComponentListing> } | undefined;
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly source: ComponentSource,
    private readonly isTrusted: () => boolean,
  ) {}

  /** The last listing loaded, even if stale; undefined before the first load finished. */
  get current(): ComponentListing | undefined {
    return this.cached?.listing;
  }

  load(): Promise<ComponentListing> {
    const generation = this.generation;
    if (this.cached?.generation === generation) return Promise.resolve(this.cached.listing);
    if (this.inFlight?.generation === generation) return this.inFlight.promise;
    const promise = this.fetch().then((listing) => {
      if (!this.cached || this.cached.generation <= generation) this.cached = { generation, listing };
      return listing;
    });
    this.inFlight = { generation, promise };
    void promise.finally(() => {
      if (this.inFlight?.promise === promise) this.inFlight = undefined;
    });
    return promise;
  }

  invalidate(): void {
    this.generation++;
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  private async fetch(): Promise<ComponentListing> {
    const loadUserCode = this.isTrusted();
    try {
      const result = await this.source.describe(loadUserCode);
      return { components: result.components, configPath: result.configPath, workspaceComponentsListed: loadUserCode || result.fromSourceIndex === true };
    } catch (error) {
      // The config is broken (a syntax error mid-edit, a throwing import): still list the built-ins.
      const loadError = error instanceof Error ? error.message : String(error);
      const builtins = await this.source.describe(false).catch(() => ({ components: [] }));
      return { components: builtins.components, workspaceComponentsListed: false, loadError };
    }
  }
}
