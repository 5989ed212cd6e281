import { describe, expect, it } from "vitest";
import {
  componentContextValue,
  componentDescription,
  componentsChildren,
  componentsRoot,
  componentTooltipMarkdown,
  groupDescription,
  nodeId,
  paramDescription,
  paramTooltip,
} from "../../../src/extension/components/componentTree";
import { COMPONENTS, CSV, IDENTITY, LOGISTIC, MODEL_IMPL } from "./fixtures";

describe("Components view nodes", () => {
  it("has the three kinds as groups, the workspace's components first", () => {
    const root = componentsRoot({ components: COMPONENTS, workspaceComponentsListed: true });
    expect(root.map((n) => n.kind === "group" && n.componentKind)).toEqual(["model", "featureGenerator", "dataAccessObject"]);
    const models = componentsChildren(root[0]).map((n) => n.kind === "component" && n.component.name);
    expect(models).toEqual(["ModelImpl1", "LogisticRegression"]);
    const daos = componentsChildren(root[2]).map((n) => n.kind === "component" && n.component.name);
    expect(daos).toEqual(["Customers", "CsvFile"]);
  });

  it("lists parameters as children of a component", () => {
    const children = componentsChildren({ kind: "component", component: CSV });
    expect(children.map((n) => n.kind === "param" && n.param.name)).toEqual(["path", "target", "delimiter"]);
    expect(componentsChildren({ kind: "component", component: IDENTITY })).toEqual([]);
    expect(nodeId(children[0])).toBe("param:dataAccessObject:CsvFile:path");
  });

  it("puts a notice above the built-ins when the workspace is untrusted or its config failed", () => {
    const untrusted = componentsRoot({ components: [LOGISTIC], workspaceComponentsListed: false });
    expect(untrusted[0]).toMatchObject({ kind: "notice", severity: "info", text: expect.stringContaining("not trusted") });
    const broken = componentsRoot({ components: [LOGISTIC], workspaceComponentsListed: false, loadError: "Could not load mlexp.config.ts: boom" });
    expect(broken[0]).toMatchObject({ kind: "notice", severity: "error", detail: "Could not load mlexp.config.ts: boom" });
    expect(broken).toHaveLength(4);
    expect(componentsChildren(broken[0])).toEqual([]);
  });

  it("labels origin and task, and counts the workspace's own", () => {
    expect(componentDescription(MODEL_IMPL)).toBe("workspace · classification");
    expect(componentDescription(CSV)).toBe("built-in");
    expect(groupDescription([MODEL_IMPL, LOGISTIC])).toBe("2 · 1 from this workspace");
    expect(groupDescription([LOGISTIC])).toBe("1");
  });

  it("gives menus the kind and origin", () => {
    expect(componentContextValue(MODEL_IMPL)).toBe("component:model:user");
    expect(componentContextValue(CSV)).toBe("component:dataAccessObject:builtin");
  });

  it("describes parameters with type, default, requirement and choices", () => {
    expect(paramDescription({ name: "a", type: "number", default: 0.1, required: false })).toBe("number = 0.1");
    expect(paramDescription({ name: "p", type: "string", required: true })).toBe("string, required");
    expect(paramDescription({ name: "c", type: "string", default: "l2", required: false, choices: ["l1", "l2"] })).toBe('string = "l2" (l1 | l2)');
    expect(paramDescription({ name: "h", type: "integer[]", default: [8, 8], required: false })).toBe("integer[] = [8,8]");
    expect(paramTooltip({ name: "a", type: "number", default: 0.1, required: false, description: "Rate", min: 0, max: 1 })).toBe("Rate\na: number = 0.1\nmin 0, max 1");
  });

  it("puts the parameter table in the tooltip", () => {
    const tooltip = componentTooltipMarkdown(CSV);
    expect(tooltip).toContain("| `path` | string | (required) |");
    expect(tooltip).toContain('| `delimiter` | string | "," |');
    expect(componentTooltipMarkdown(IDENTITY)).toContain("No parameters.");
    expect(componentTooltipMarkdown(MODEL_IMPL)).toContain("class `ModelImpl1` in this workspace");
  });
});
