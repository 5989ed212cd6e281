import * as vscode from "vscode";
import type { ComponentDescription } from "../../core/workspace/describe";
import type { IndexedComponent } from "../../protocol/language";
import { findClassDeclaration, rankCandidateFiles } from "./classLocator";

const SOURCE_GLOB = "**/*.{ts,mts,cts,tsx,js,mjs,cjs}";
const EXCLUDED = "{**/node_modules/**,**/.mlexp/**,**/dist/**,**/out/**,**/.git/**}";

/**
 * Finds the class of a user component in the workspace's files. The training process knows the
 * class name, not its file (it runs a bundle); a text search over the workspace's sources finds it.
 */
export async function locateComponent(folder: vscode.Uri, component: ComponentDescription): Promise<vscode.Location | undefined> {
  const files = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, SOURCE_GLOB), new vscode.RelativePattern(folder, EXCLUDED), 2000);
  const byPath = new Map(files.map((uri) => [uri.fsPath, uri]));
  for (const file of rankCandidateFiles([...byPath.keys()], component.className)) {
    const uri = byPath.get(file);
    if (!uri) continue;
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    if (!text.includes(component.className)) continue;
    const position = findClassDeclaration(text, component.className);
    if (position) return new vscode.Location(uri, new vscode.Position(position.line, position.character));
  }
  return undefined;
}

/** Where the language server found the class, when the Components view was fed by its index: no search needed. */
function indexedLocation(component: ComponentDescription): vscode.Location | undefined {
  const location = (component as Partial<IndexedComponent>).location;
  if (!location) return undefined;
  const { start, end } = location.range;
  return new vscode.Location(vscode.Uri.parse(location.uri), new vscode.Range(start.line, start.character, end.line, end.character));
}

export async function goToComponentDefinition(folder: vscode.Uri | undefined, component: ComponentDescription | undefined): Promise<void> {
  if (!folder || !component) return;
  if (component.builtin) {
    void vscode.window.showInformationMessage(`${component.name} is built into mlexp: ${component.description || "no description"}.`);
    return;
  }
  const location = indexedLocation(component) ?? (await locateComponent(folder, component));
  if (!location) {
    void vscode.window.showWarningMessage(`Could not find "class ${component.className}" of ${component.name} in the workspace's source files.`);
    return;
  }
  await vscode.window.showTextDocument(location.uri, { selection: location.range, preview: true });
}
