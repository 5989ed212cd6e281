import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { WorkspaceIndex } from "../../../src/server/index/workspaceIndex";
import { tempDir } from "../../helpers/tempDir";

function setup(files: Record<string, string>) {
  const root = tempDir("mlexp-index-");
  for (const [relative, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), text);
  }
  const index = new WorkspaceIndex();
  index.addFolder(root);
  return { root, index, at: (relative: string) => path.join(root, relative) };
}

const names = (index: WorkspaceIndex, root: string) => index.linked().registryOf(path.join(root, "x.ts")).names("model").filter((n) => !/Regression|Classifier/.test(n));
const registration = (name: string) => `import { Model, registerModel } from "mlexp";\nclass ${name} extends Model {}\nregisterModel("${name}", ${name});\n`;

describe("the workspace index", () => {
  it("keeps an open document's text over the disk's until it is closed", () => {
    const { root, index, at } = setup({ "a.ts": registration("OnDisk") });
    expect(index.setOpenText(at("a.ts"), registration("Edited"))).toBe(true);
    index.fileChanged(at("a.ts"));
    expect(names(index, root)).toEqual(["Edited"]);
    index.closeDocument(at("a.ts"));
    expect(names(index, root)).toEqual(["OnDisk"]);
  });

  it("ignores documents outside its folders or in skipped folders", () => {
    const { index, at } = setup({});
    expect(index.setOpenText(at("node_modules/p/a.ts"), registration("X"))).toBe(false);
    expect(index.setOpenText(path.join(path.dirname(at("")), "elsewhere.ts"), registration("X"))).toBe(false);
    expect(index.table.size).toBe(0);
  });

  it("drops a deleted folder's files and picks up a created folder's", () => {
    const { root, index, at } = setup({ "models/a.ts": registration("A"), "models/deep/b.ts": registration("B") });
    expect(names(index, root)).toEqual(["A", "B"]);
    fs.rmSync(at("models"), { recursive: true });
    index.fileDeleted(at("models"));
    expect(names(index, root)).toEqual([]);
    fs.mkdirSync(at("moved/in"), { recursive: true });
    fs.writeFileSync(at("moved/in/c.ts"), registration("C"));
    index.directoryCreated(at("moved"));
    expect(names(index, root)).toEqual(["C"]);
  });

  it("re-links only after a change, and keeps parses of unchanged files", () => {
    const { index, at } = setup({ "a.ts": registration("A"), "b.ts": registration("B") });
    const first = index.linked();
    expect(index.linked()).toBe(first);
    const factsOfB = index.table.factsOf(at("b.ts"));
    index.setOpenText(at("a.ts"), registration("A2"));
    expect(index.isStale).toBe(true);
    expect(index.linked()).not.toBe(first);
    expect(index.table.factsOf(at("b.ts"))).toBe(factsOfB);
  });
});
