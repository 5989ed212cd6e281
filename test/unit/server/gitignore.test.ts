import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { matchRules, parseGitignore } from "../../../src/server/workspace/gitignore";
import { IgnoreRules } from "../../../src/server/workspace/ignoreRules";
import { isIndexable, listSourceFiles } from "../../../src/server/workspace/sourceFiles";
import { tempDir } from "../../helpers/tempDir";

const ignored = (patterns: string, relative: string, isDir = false) => matchRules(parseGitignore(patterns), relative, isDir) === true;

describe("gitignore patterns", () => {
  it("matches a bare name at any depth, and an anchored one only at the root", () => {
    expect(ignored("build", "build")).toBe(true);
    expect(ignored("build", "src/build")).toBe(true);
    expect(ignored("/build", "src/build")).toBe(false);
    expect(ignored("src/build", "src/build")).toBe(true);
    expect(ignored("src/build", "lib/src/build")).toBe(false);
  });

  it("handles *, ?, ** and character classes", () => {
    expect(ignored("*.generated.ts", "a/b/x.generated.ts")).toBe(true);
    expect(ignored("*.ts", "a/b.tsx")).toBe(false);
    expect(ignored("file?.ts", "file1.ts")).toBe(true);
    expect(ignored("**/fixtures/*.ts", "a/b/fixtures/x.ts")).toBe(true);
    expect(ignored("gen/**", "gen/a/b.ts")).toBe(true);
    expect(ignored("a/**/z.ts", "a/z.ts")).toBe(true);
    expect(ignored("a/**/z.ts", "a/b/c/z.ts")).toBe(true);
    expect(ignored("v[0-9].ts", "v3.ts")).toBe(true);
    expect(ignored("v[!0-9].ts", "v3.ts")).toBe(false);
  });

  it("lets the last matching rule win, negations included", () => {
    expect(ignored("*.ts\n!keep.ts", "keep.ts")).toBe(false);
    expect(ignored("*.ts\n!keep.ts", "drop.ts")).toBe(true);
    expect(ignored("!keep.ts\n*.ts", "keep.ts")).toBe(true);
  });

  it("applies a trailing slash to folders only, and skips comments and blank lines", () => {
    expect(ignored("out/", "out", true)).toBe(true);
    expect(ignored("out/", "out", false)).toBe(false);
    expect(ignored("# out\n\n", "out")).toBe(false);
    expect(ignored("\\#hash.ts", "#hash.ts")).toBe(true);
  });
});

describe("agreement with git itself", () => {
  it("ignores exactly the paths `git check-ignore` ignores, nested .gitignore files included", () => {
    const root = tempDir();
    execFileSync("git", ["init", "-q"], { cwd: root });
    const rules = "*.log\n!keep.log\nbuild/\n/top.ts\ndocs/**/*.md\n**/tmp\nv[0-9].ts\n";
    fs.writeFileSync(path.join(root, ".gitignore"), rules);
    fs.mkdirSync(path.join(root, "pkg"), { recursive: true });
    fs.writeFileSync(path.join(root, "pkg", ".gitignore"), "*.gen.ts\n!top.ts\n");
    const paths = ["a.log", "keep.log", "x/keep.log", "build/a.ts", "x/build/a.ts", "top.ts", "x/top.ts", "docs/a/b.md", "docs/a.md", "a/tmp/x.ts", "v1.ts", "vx.ts", "pkg/a.gen.ts", "pkg/top.ts", "src/a.ts"];
    const byGit = new Set(
      execFileSync("git", ["check-ignore", "--no-index", ...paths], { cwd: root, encoding: "utf8" }).trim().split("\n"),
    );
    const ours = new IgnoreRules(root);
    const byUs = paths.filter((p) => ours.isIgnored(path.join(root, p), false));
    expect(byUs).toEqual(paths.filter((p) => byGit.has(p)));
    expect(byUs.length).toBeGreaterThan(5);
  });
});

describe("listing a workspace's source files", () => {
  function write(root: string, files: string[]): void {
    for (const relative of files) {
      fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      fs.writeFileSync(path.join(root, relative), "");
    }
  }

  it("respects nested .gitignore files and skips node_modules, .mlexp, dist and declaration files", () => {
    const root = tempDir();
    write(root, ["a.ts", "b.js", "c.d.ts", "d.json", "gen/x.ts", "lib/keep.ts", "lib/drop.ts", "lib/deep/drop.ts", "node_modules/p/i.ts", ".mlexp/x.ts", "dist/x.js", "src/dist/x.ts"]);
    fs.writeFileSync(path.join(root, ".gitignore"), "gen/\n");
    fs.writeFileSync(path.join(root, "lib", ".gitignore"), "drop.ts\n");
    const files = listSourceFiles(new IgnoreRules(root)).map((f) => path.relative(root, f));
    expect(files).toEqual(["a.ts", "b.js", "lib/keep.ts"]);
  });

  it("tells whether one path is indexable, folders' rules included", () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, ".gitignore"), "gen/\n");
    const rules = new IgnoreRules(root);
    expect(isIndexable(path.join(root, "src", "a.ts"), rules)).toBe(true);
    expect(isIndexable(path.join(root, "gen", "deep", "a.ts"), rules)).toBe(false);
    expect(isIndexable(path.join(root, "node_modules", "a.ts"), rules)).toBe(false);
    expect(isIndexable(path.join(root, "src", "a.d.ts"), rules)).toBe(false);
    expect(isIndexable(path.join(path.dirname(root), "elsewhere.ts"), rules)).toBe(false);
  });
});
