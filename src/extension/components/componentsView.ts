import * as vscode from "vscode";
import { COMMANDS, VIEWS } from "../constants";
import type { ComponentCatalog } from "./componentCatalog";
import {
  componentContextValue,
  componentDescription,
  componentsChildren,
  componentsRoot,
  componentTooltipMarkdown,
  GROUP_LABELS,
  groupDescription,
  nodeId,
  paramDescription,
  paramTooltip,
  type ComponentsNode,
} from "./componentTree";

const GROUP_ICONS = { model: "symbol-class", featureGenerator: "symbol-method", dataAccessObject: "database" } as const;

/** The Components view: registered models, feature generators and data access objects. */
export class ComponentsView implements vscode.TreeDataProvider<ComponentsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ComponentsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly treeView: vscode.TreeView<ComponentsNode>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly catalog: ComponentCatalog,
    /** Without a config the view stays empty, so that its welcome content ("Create Example Setup") shows. */
    private readonly hasConfig: () => boolean,
  ) {
    this.treeView = vscode.window.createTreeView(VIEWS.components, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(this.treeView, this.changed, catalog.onDidChange(() => this.changed.fire(undefined)));
  }

  async getChildren(node?: ComponentsNode): Promise<ComponentsNode[]> {
    if (node) return componentsChildren(node);
    if (!this.hasConfig()) return [];
    // While the training process loads the workspace (a second or two), the view shows its progress bar.
    const listing = await vscode.window.withProgress({ location: { viewId: VIEWS.components } }, () => this.catalog.load());
    return componentsRoot(listing);
  }

  getTreeItem(node: ComponentsNode): vscode.TreeItem {
    switch (node.kind) {
      case "group":
        return this.groupItem(node);
      case "component":
        return this.componentItem(node);
      case "param": {
        const item = new vscode.TreeItem(node.param.name, vscode.TreeItemCollapsibleState.None);
        item.id = nodeId(node);
        item.description = paramDescription(node.param);
        item.tooltip = paramTooltip(node.param);
        item.iconPath = new vscode.ThemeIcon("symbol-parameter");
        item.contextValue = "componentParam";
        return item;
      }
      case "notice": {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = nodeId(node);
        item.tooltip = node.detail;
        item.description = node.detail;
        item.iconPath = new vscode.ThemeIcon(node.severity === "error" ? "error" : "info");
        item.command = node.severity === "error" ? { command: COMMANDS.showOutput, title: "Show Output" } : undefined;
        return item;
      }
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  private groupItem(node: Extract<ComponentsNode, { kind: "group" }>): vscode.TreeItem {
    const item = new vscode.TreeItem(GROUP_LABELS[node.componentKind], vscode.TreeItemCollapsibleState.Expanded);
    item.id = nodeId(node);
    item.description = groupDescription(node.components);
    item.iconPath = new vscode.ThemeIcon(GROUP_ICONS[node.componentKind]);
    item.contextValue = `componentGroup:${node.componentKind}`;
    return item;
  }

  private componentItem(node: Extract<ComponentsNode, { kind: "component" }>): vscode.TreeItem {
    const { component } = node;
    const state = component.params.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(component.name, state);
    item.id = nodeId(node);
    item.description = componentDescription(component);
    item.tooltip = new vscode.MarkdownString(componentTooltipMarkdown(component));
    item.iconPath = new vscode.ThemeIcon(component.builtin ? "package" : "file-code");
    item.contextValue = componentContextValue(component);
    if (!component.builtin) item.command = { command: COMMANDS.goToComponentDefinition, title: "Go to Definition", arguments: [node] };
    return item;
  }
}
