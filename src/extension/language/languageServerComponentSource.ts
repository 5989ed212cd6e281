import * as path from "node:path";
import type { ComponentsChangedParams } from "../../protocol/language";
import type { DescribeResult } from "../../protocol/training";
import type { ComponentSource } from "../components/componentCatalog";

/** What this source needs of the language client (see languageClient.ts). */
export interface ComponentIndexProvider {
  readonly components: ComponentsChangedParams | undefined;
  requestComponents(): Promise<ComponentsChangedParams>;
}

/**
 * The Components view's source backed by the language server's index: it reads the workspace's
 * source, runs none of it, so it answers at once, before anything was bundled or trained, and in
 * untrusted workspaces too. Falls back to another source (the training worker) while the server
 * is not running or does not know the folder.
 */
export class LanguageServerComponentSource implements ComponentSource {
  constructor(
    private readonly provider: () => ComponentIndexProvider | undefined,
    private readonly folder: () => string | undefined,
    private readonly fallback: ComponentSource,
  ) {}

  async describe(loadUserCode: boolean): Promise<DescribeResult> {
    const provider = this.provider();
    const folder = this.folder();
    if (!provider || !folder) return this.fallback.describe(loadUserCode);
    const index = provider.components ?? (await provider.requestComponents());
    const workspace = index.workspaces.find((w) => samePath(w.root, folder));
    if (!workspace) return this.fallback.describe(loadUserCode);
    return {
      kind: "describe",
      components: index.components.filter((c) => samePath(c.workspace, workspace.root)),
      ...(workspace.configPath ? { configPath: workspace.configPath } : {}),
    };
  }
}

/** VS Code and Node may spell a Windows drive letter differently. */
function samePath(a: string, b: string): boolean {
  const norm = (p: string) => (process.platform === "win32" ? path.resolve(p).toLowerCase() : path.resolve(p));
  return norm(a) === norm(b);
}
