import * as vscode from "vscode";

// After a window reload VS Code restores a webview panel's tab at once but asks the extension to
// deserialize it only when the tab first becomes visible. A comparison tab left in the background
// is therefore a tab the extension does not know yet: opening a new panel beside it would show two
// comparisons. These helpers find such a tab and bring it to the front, so that VS Code revives it
// through the panel serializer and the comparison adopts it.

/** `workbench.action.focus<Nth>EditorGroup`, for view columns 1..8. */
const FOCUS_GROUP_COMMANDS = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth"].map((nth) => `workbench.action.focus${nth}EditorGroup`);
/** Opens the active group's editor at a 0-based index. */
const OPEN_EDITOR_AT_INDEX = "workbench.action.openEditorAtIndex";

/** A tab of this webview type anywhere in the window (VS Code prefixes the type, e.g. "mainThreadWebview-mlexp.comparison"). */
export function findWebviewTab(viewType: string): vscode.Tab | undefined {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputWebview && (tab.input.viewType === viewType || tab.input.viewType.endsWith(`-${viewType}`))) return tab;
    }
  }
  return undefined;
}

/** Makes the tab the visible editor of its group, which makes VS Code revive a restored webview. */
export async function showTab(tab: vscode.Tab): Promise<void> {
  const { group } = tab;
  const focusGroup = FOCUS_GROUP_COMMANDS[group.viewColumn - 1];
  if (!group.isActive && focusGroup) await vscode.commands.executeCommand(focusGroup);
  await vscode.commands.executeCommand(OPEN_EDITOR_AT_INDEX, group.tabs.indexOf(tab));
}
