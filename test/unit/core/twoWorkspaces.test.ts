import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { activeRegistry } from "../../../src/core/registration";
import { loadWorkspace } from "../../../src/core/workspace/loadWorkspace";
import { tempDir } from "../../helpers/tempDir";

/** A config that registers one model before and one after waiting: the other load runs in between. */
function workspaceRegistering(name: string, waitMs: number): string {
  const root = tempDir();
  fs.writeFileSync(
    path.join(root, "mlexp.config.ts"),
    `import { LogisticRegression, registerModel } from "mlexp";
class ${name}First extends LogisticRegression {}
class ${name}Later extends LogisticRegression {}
registerModel("${name}First", ${name}First);
export default async function () {
  await new Promise((resolve) => setTimeout(resolve, ${waitMs}));
  registerModel("${name}Later", ${name}Later);
}
`,
  );
  return root;
}

describe("two workspaces loaded at once in one process", () => {
  it("each registers into its own registry, and the process's registry gets neither", async () => {
    const [a, b] = await Promise.all([loadWorkspace(workspaceRegistering("Alpha", 60)), loadWorkspace(workspaceRegistering("Beta", 5))]);
    const own = (names: string[]) => names.filter((name) => /^(Alpha|Beta)/.test(name)).sort();
    expect(own(a.registry.names("model"))).toEqual(["AlphaFirst", "AlphaLater"]);
    expect(own(b.registry.names("model"))).toEqual(["BetaFirst", "BetaLater"]);
    expect(own(activeRegistry().names("model"))).toEqual([]);
  });
});
