/**
 * Just enough of the `vscode` API for the comparison panel's VS Code side, recording what the panel
 * does with it (panels created, messages posted, commands run). Tests install it with
 * `vi.mock("vscode", () => import("./fakeVscode"))`; `reset()` clears it between tests.
 */
type Listener<T> = (value: T) => unknown;

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    readonly query = "",
  ) {}
  static file(path: string): Uri {
    return new Uri("file", path);
  }
  static from(parts: { scheme: string; path: string; query?: string }): Uri {
    return new Uri(parts.scheme, parts.path, parts.query);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, [base.path, ...parts].join("/"));
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}${this.query ? `?${this.query}` : ""}`;
  }
}

export const ViewColumn = { Active: -1 };

/** A webview's tab as `window.tabGroups` lists it (VS Code prefixes the view type). */
export class TabInputWebview {
  constructor(readonly viewType: string) {}
}

export interface FakeTab {
  label: string;
  input: unknown;
  group: FakeTabGroup;
}

export interface FakeTabGroup {
  viewColumn: number;
  isActive: boolean;
  tabs: FakeTab[];
}

/** Tab groups holding tabs with these inputs, in order; the first group is the active one. */
export function setTabs(...groups: Array<Array<{ label: string; input: unknown }>>): FakeTab[][] {
  fake.tabGroups = groups.map((tabs, index) => {
    const group: FakeTabGroup = { viewColumn: index + 1, isActive: index === 0, tabs: [] };
    group.tabs = tabs.map((tab) => ({ ...tab, group }));
    return group;
  });
  return fake.tabGroups.map((group) => group.tabs);
}

export class FakeWebviewPanel {
  title: string;
  iconPath: unknown;
  visible = true;
  active = true;
  revealed = 0;
  disposed = false;
  readonly posted: unknown[] = [];
  private readonly received = new EventEmitter<unknown>();
  private readonly disposeEmitter = new EventEmitter<void>();
  private readonly viewState = new EventEmitter<{ webviewPanel: FakeWebviewPanel }>();
  readonly onDidDispose = this.disposeEmitter.event;
  readonly onDidChangeViewState = this.viewState.event;
  readonly webview = {
    options: {} as Record<string, unknown>,
    html: "",
    cspSource: "https://fake.vscode-cdn.net",
    asWebviewUri: (uri: Uri) => `https://fake.vscode-cdn.net${uri.path}`,
    postMessage: async (message: unknown) => {
      if (!this.visible) return false;
      this.posted.push(message);
      return true;
    },
    onDidReceiveMessage: this.received.event,
  };

  constructor(
    readonly viewType: string,
    title: string,
    readonly options: Record<string, unknown>,
  ) {
    this.title = title;
  }

  /** The page sends a message to the extension. */
  receive(message: unknown): void {
    this.received.fire(message);
  }

  reveal(): void {
    this.revealed++;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
  }
}

export const fake = {
  panels: [] as FakeWebviewPanel[],
  serializers: new Map<string, unknown>(),
  commands: [] as { command: string; args: unknown[] }[],
  commandResult: undefined as unknown,
  quickPick: undefined as ((items: { runId: string }[]) => unknown) | undefined,
  saveTarget: undefined as Uri | undefined,
  written: [] as { path: string; text: string }[],
  clipboard: "",
  messages: [] as string[],
  contentProviders: new Map<string, { provideTextDocumentContent(uri: Uri): Promise<string> | string }>(),
  shownDocuments: [] as { uri: Uri; language?: string }[],
  tabGroups: [] as FakeTabGroup[],
  closedTabs: [] as FakeTab[],
  /** The column each created panel was asked for, in order. */
  columns: [] as number[],
  /** Called with every executed command, after it is recorded (e.g. VS Code reviving a restored tab). */
  onCommand: undefined as ((command: string, args: unknown[]) => void) | undefined,
};

export function reset(): void {
  Object.assign(fake, { panels: [], serializers: new Map(), commands: [], commandResult: undefined, quickPick: undefined, saveTarget: undefined, written: [], clipboard: "", messages: [], contentProviders: new Map(), shownDocuments: [], tabGroups: [], closedTabs: [], columns: [], onCommand: undefined });
}

export const window = {
  createWebviewPanel: (viewType: string, title: string, column: number | { viewColumn: number }, options: Record<string, unknown>) => {
    const panel = new FakeWebviewPanel(viewType, title, options);
    fake.panels.push(panel);
    fake.columns.push(typeof column === "number" ? column : column.viewColumn);
    return panel;
  },
  tabGroups: {
    get all() {
      return fake.tabGroups;
    },
    close: async (tab: FakeTab) => {
      tab.group.tabs = tab.group.tabs.filter((other) => other !== tab);
      fake.closedTabs.push(tab);
      return true;
    },
  },
  registerWebviewPanelSerializer: (viewType: string, serializer: unknown) => {
    fake.serializers.set(viewType, serializer);
    return { dispose: () => fake.serializers.delete(viewType) };
  },
  showQuickPick: async (items: { runId: string }[]) => fake.quickPick?.(items),
  showInformationMessage: async (message: string) => {
    fake.messages.push(message);
    return undefined;
  },
  showWarningMessage: async (message: string) => {
    fake.messages.push(message);
    return undefined;
  },
  showSaveDialog: async () => fake.saveTarget,
  showTextDocument: async (document: { uri: Uri; languageId?: string }) => {
    fake.shownDocuments.push({ uri: document.uri, language: document.languageId });
  },
};

export const languages = {
  setTextDocumentLanguage: async (document: { uri: Uri; languageId?: string }, language: string) => Object.assign(document, { languageId: language }),
};

export const workspace = {
  registerTextDocumentContentProvider: (scheme: string, provider: { provideTextDocumentContent(uri: Uri): Promise<string> | string }) => {
    fake.contentProviders.set(scheme, provider);
    return { dispose: () => fake.contentProviders.delete(scheme) };
  },
  openTextDocument: async (uri: Uri) => ({ uri }),
  fs: {
    writeFile: async (uri: Uri, bytes: Uint8Array) => {
      fake.written.push({ path: uri.fsPath, text: new TextDecoder().decode(bytes) });
    },
  },
};

export const commands = {
  executeCommand: async (command: string, ...args: unknown[]) => {
    fake.commands.push({ command, args });
    fake.onCommand?.(command, args);
    return fake.commandResult;
  },
};

export const env = {
  clipboard: {
    writeText: async (text: string) => {
      fake.clipboard = text;
    },
  },
};
