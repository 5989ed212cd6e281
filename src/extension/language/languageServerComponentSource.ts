import type { ComponentsChangedParams } from "../../protocol/language";
import type { ComponentSource, ComponentSourceResult } from "../components/componentCatalog";
import { samePath } from "../workspace/workspaceFolder";

/** What this source needs of the language client (see languageClient.ts). */
export interface ComponentIndexProvider {
  readonly components: ComponentsChangedParams | undefined;
  requestComponents(): Promise<ComponentsChangedParams>;
}

/**
 * The Components view's source backed by the language server's index: it reads the workspace's
 * source, runs none of it, so it answers at once, before anything was bundled or trained, and in
 * untrusted workspaces too (which is why `loadUserCode` does not restrict it). Falls back to
 * another source (the training worker) while the server is not running, failed, or does not
 * know the folder, and in a trusted workspace whose index is incomplete.
 */
export class LanguageServerComponentSource implements ComponentSource {
  constructor(
    private readonly provider: () => ComponentIndexProvider | undefined,
    private readonly folder: () => string | undefined,
    private readonly fallback: ComponentSource,
  ) {}

  async describe(loadUserCode: boolean): Promise<ComponentSourceResult> {
    const provider = this.provider();
    const folder = this.folder();
    const index = provider && folder ? await currentIndex(provider) : undefined;
    const workspace = folder ? index?.workspaces.find((w) => samePath(w.root, folder)) : undefined;
    // Where the config may be run (trusted) and the index knows it misses something, running it gives the whole list.
    if (!index || !workspace || (workspace.incomplete && loadUserCode)) return this.fallback.describe(loadUserCode);
    return {
      kind: "describe",
      components: index.components.filter((c) => samePath(c.workspace, workspace.root)),
      ...(workspace.configPath ? { configPath: workspace.configPath } : {}),
      fromSourceIndex: true,
    };
  }
}

/** The latest index pushed, else asked for; undefined when the server cannot answer (it failed to start, or crashed). */
async function currentIndex(provider: ComponentIndexProvider): Promise<ComponentsChangedParams | undefined> {
  try {
    return provider.components ?? (await provider.requestComponents());
  } catch {
    // The view must not go empty because of the server: the fallback can still list the components.
    return undefined;
  }
}
