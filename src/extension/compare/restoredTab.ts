import * as vscode from "vscode";

// After a window reload VS Code restores a webview panel's tab at once but asks the extension to
// deserialize it only when the tab first becomes visible. A tab left in the background is
// therefore one the extension does not know yet: opening a new panel beside it would show two
// comparisons (or two run pages). RestoredPanels finds such a tab and brings it to the front, so
// that VS Code revives it through the panel serializer and the owner adopts it.

/** `workbench.action.focus<Nth>EditorGroup`, for view columns 1..8. */
const FOCUS_GROUP_COMMANDS = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth"].map((nth) => `workbench.action.focus${nth}EditorGroup`);
/** Opens the active group's editor at a 0-based index. */
const OPEN_EDITOR_AT_INDEX = "workbench.action.openEditorAtIndex";
const REVIVE_TIMEOUT_MS = 15_000;

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

export interface RestoredPanelsOptions<T> {
  viewType: string;
  /** The owner's panel, if it has one by now (the serializer may hand one over at any moment). */
  current(): T | undefined;
  /** How long to wait for VS Code to revive a restored tab once shown (default 15 s). */
  timeoutMs?: number;
  log(message: string): void;
}

/** Where the panel to show is: the one the serializer handed over, or the column to open a new one in. */
export interface RestoredPanel<T> {
  revived?: T;
  column: vscode.ViewColumn;
}

type Settled<T> = { value: T | undefined };

/**
 * The panels of one view type that VS Code restored after a reload. The owner calls `revive()`
 * when it has no panel of its own, and `settled()` from its serializer with what it adopted
 * (undefined when it disposed the restored panel instead).
 */
export class RestoredPanels<T> {
  private readonly waiters = new Set<(settled: Settled<T>) => void>();

  constructor(private readonly options: RestoredPanelsOptions<T>) {}

  /** The serializer handed a restored panel over (or disposed it). */
  settled(value: T | undefined): void {
    for (const waiter of [...this.waiters]) waiter({ value });
  }

  /**
   * A tab of this view type is in the window but no panel was handed over: shows it and waits for
   * the serializer. A tab not revived in time is closed (a new panel goes to its column), so that
   * there is never a second one.
   */
  async revive(): Promise<RestoredPanel<T>> {
    // Listening first: the serializer may hand the panel over while the tab is looked for.
    const wait = this.waitForSettled();
    try {
      const already = this.options.current();
      if (already !== undefined) return { revived: already, column: vscode.ViewColumn.Active };
      const tab = findWebviewTab(this.options.viewType);
      if (!tab) return { column: vscode.ViewColumn.Active };
      const column = tab.group.viewColumn;
      await showTab(tab).catch((error: unknown) => this.options.log(`Could not show the restored ${this.options.viewType} tab: ${error instanceof Error ? error.message : String(error)}`));
      const settled = await wait.settled;
      const revived = settled?.value ?? this.options.current();
      if (revived !== undefined) return { revived, column };
      if (!settled) {
        this.options.log(`The restored ${this.options.viewType} tab was not revived within ${this.timeoutMs} ms; replacing it.`);
        await Promise.resolve(vscode.window.tabGroups.close(tab, true)).catch(() => false);
      }
      return { column };
    } finally {
      wait.cancel();
    }
  }

  /** Resolves with the next `settled()`, or undefined after the timeout. */
  private waitForSettled(): { settled: Promise<Settled<T> | undefined>; cancel(): void } {
    let timer: NodeJS.Timeout | undefined;
    let waiter: ((settled: Settled<T>) => void) | undefined;
    const settled = new Promise<Settled<T> | undefined>((resolve) => {
      waiter = resolve;
      this.waiters.add(resolve);
      timer = setTimeout(() => resolve(undefined), this.timeoutMs);
    });
    return {
      settled,
      cancel: () => {
        clearTimeout(timer);
        if (waiter) this.waiters.delete(waiter);
      },
    };
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? REVIVE_TIMEOUT_MS;
  }
}
