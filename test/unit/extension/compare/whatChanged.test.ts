import { beforeEach, describe, expect, it, vi } from "vitest";
import { diffCode } from "../../../../src/core/diff/code/codeDiff";
import { summarise } from "../../../../src/core/diff/sentence";
import type { DataDiff, ParametersDiff, RunDiff } from "../../../../src/core/diff/types";
import type { ModelRun } from "../../../../src/core/store/runRecord";
import type { CompareRunSource } from "../../../../src/extension/compare/runSource";
import type { RunDiffSource } from "../../../../src/extension/compare/whatChanged/diffSource";
import type { ToWebview } from "../../../../src/protocol/compare";
import { git, initRepo, writeFiles } from "../../../helpers/gitRepo";
import { makeRun } from "../../../helpers/runs";
import { tempDir } from "../../../helpers/tempDir";
import { fake, reset, Uri, type FakeWebviewPanel } from "./fakeVscode";

vi.mock("vscode", () => import("./fakeVscode"));

const { ComparePanel } = await import("../../../../src/extension/compare/comparePanel");

const flush = () => new Promise((resolve) => setTimeout(resolve, 20));
const posted = (panel: FakeWebviewPanel, type: ToWebview["type"]) => (panel.posted as ToWebview[]).filter((message) => message.type === type);

const DATA: DataDiff = {
  status: "changed",
  hashA: "a".repeat(64),
  hashB: "b".repeat(64),
  rowsA: 2,
  rowsB: 3,
  rowsAdded: 1,
  rowsRemoved: 0,
  rowsChanged: 1,
  comparedColumns: ["x", "city"],
  columnsAdded: [],
  columnsRemoved: [],
  columnsRetyped: [],
  targetA: "y",
  targetB: "y",
  shifts: [],
  sample: [
    { change: "changed", a: { x: 1, city: "Paris, FR" }, b: { x: 2, city: "Paris, FR" }, columns: ["x"] },
    { change: "added", b: { x: 5, city: null } },
  ],
  chunks: { sharedChunks: 0, readA: 1, readB: 1, totalA: 1, totalB: 1 },
  approximate: false,
};

/** Two runs on two real commits of a temporary repository; the data part is given. */
async function setUp(): Promise<{ folder: string; base: ModelRun; other: ModelRun; diff: RunDiff }> {
  const folder = tempDir();
  initRepo(folder, { "src/model.ts": "export class M {}\n", "gone.ts": "old\n" });
  const commitA = git(folder, "rev-parse", "HEAD").trim();
  writeFiles(folder, { "src/model.ts": "export class M {\n  x = 1;\n}\n", "new.ts": "fresh\n" });
  git(folder, "rm", "-q", "gone.ts");
  git(folder, "add", "-A");
  git(folder, "commit", "-qm", "second");
  const commitB = git(folder, "rev-parse", "HEAD").trim();
  const base = makeRun({ run_id: "20260101-000000-aaaaaaaa", githash: commitA, model_class: "M" });
  const other = makeRun({ run_id: "20260101-000001-bbbbbbbb", githash: commitB, model_class: "M" });
  const code = await diffCode(folder, base, other);
  const parameters: ParametersDiff = { status: "identical", components: [], model: [], modelGiven: [], featureGenerator: [], dataset: [], settings: [], chosenTrial: null };
  const parts = { code, data: DATA, parameters, environment: { status: "identical" as const }, metric: null };
  const diff: RunDiff = { a: { run_id: base.run_id, model_class: "M", githash: commitA, dataset_hash: null }, b: { run_id: other.run_id, model_class: "M", githash: commitB, dataset_hash: null }, summary: summarise(parts), differs: ["code", "data"], ...parts };
  return { folder, base, other, diff };
}

beforeEach(() => reset());

describe("What changed in the comparison panel", () => {
  it("answers a diff request per run, opens a changed file in the diff editor on read-only snapshot documents, and the sample of changed rows", async () => {
    const { folder, base, other, diff } = await setUp();
    const source: CompareRunSource = { list: async () => [base, other], history: async () => [], trials: async () => [] };
    const diffSource: RunDiffSource = { diff: async (a, b) => (a === base.run_id && b === other.run_id ? diff : Promise.reject(new Error(`no diff ${a} ${b}`))) };
    const context = { subscriptions: [] as { dispose(): void }[], extensionUri: Uri.file("/ext") };
    const panel = ComparePanel.register(context as never, { folder: () => folder, source, diffSource });
    await panel.show([base.run_id, other.run_id]);
    const webview = fake.panels[0];

    webview.receive({ type: "requestDiffs", baseRunId: base.run_id, runIds: [base.run_id, other.run_id, "20260101-000002-cccccccc"] });
    await flush();
    const answers = posted(webview, "runDiff") as Extract<ToWebview, { type: "runDiff" }>[];
    expect(answers.map((m) => [m.runId, m.diff?.summary ?? m.error])).toEqual([
      [other.run_id, "B differs from A in 3 files (+4 −2), 50% more rows and 1 changed row"],
      ["20260101-000002-cccccccc", `no diff ${base.run_id} 20260101-000002-cccccccc`],
    ]);

    // A modified file: both sides from the snapshot commits, whatever the working tree holds now.
    writeFiles(folder, { "src/model.ts": "working tree, not a snapshot\n" });
    webview.receive({ type: "openFileDiff", baseRunId: base.run_id, runId: other.run_id, path: "src/model.ts" });
    await flush();
    const opened = fake.commands.find((c) => c.command === "vscode.diff");
    expect(opened?.args[2]).toBe(`src/model.ts (${base.run_id} ↔ ${other.run_id})`);
    const [left, right] = opened?.args as Uri[];
    expect([left.scheme, right.scheme]).toEqual(["mlexp-snapshot", "mlexp-snapshot"]);
    const provider = fake.contentProviders.get("mlexp-snapshot");
    expect(await provider?.provideTextDocumentContent(left)).toBe("export class M {}\n");
    expect(await provider?.provideTextDocumentContent(right)).toBe("export class M {\n  x = 1;\n}\n");

    // An added file has an empty left side, a removed one an empty right side.
    fake.commands.length = 0;
    webview.receive({ type: "openFileDiff", baseRunId: base.run_id, runId: other.run_id, path: "new.ts" });
    await flush();
    const [emptyLeft, added] = fake.commands[0].args as Uri[];
    expect([await provider?.provideTextDocumentContent(emptyLeft), await provider?.provideTextDocumentContent(added)]).toEqual(["", "fresh\n"]);

    // A path that did not change (or that the page made up) opens nothing and says so.
    fake.commands.length = 0;
    webview.receive({ type: "openFileDiff", baseRunId: base.run_id, runId: other.run_id, path: "../../etc/passwd" });
    await flush();
    expect(fake.commands).toEqual([]);
    expect((posted(webview, "notice").at(-1) as { text: string }).text).toBe(`../../etc/passwd did not change between run ${base.run_id} and run ${other.run_id}.`);

    webview.receive({ type: "openRowSample", baseRunId: base.run_id, runId: other.run_id });
    await flush();
    const shown = fake.shownDocuments.at(-1);
    expect(shown?.uri.scheme).toBe("mlexp-readonly");
    expect(await fake.contentProviders.get("mlexp-readonly")?.provideTextDocumentContent(shown?.uri as Uri)).toBe(
      'change,run,x,city,changed columns\nchanged,base,1,"Paris, FR",x\nchanged,other,2,"Paris, FR",x\nadded,other,5,,\n',
    );
    for (const disposable of context.subscriptions) disposable.dispose();
    expect(fake.contentProviders.size).toBe(0);
  });

  it("refuses snapshot URIs whose commit is not a hash or whose path leaves the repository, before git runs", async () => {
    const context = { subscriptions: [] as { dispose(): void }[], extensionUri: Uri.file("/ext") };
    ComparePanel.register(context as never, { folder: () => tempDir(), source: { list: async () => [], history: async () => [], trials: async () => [] } });
    const provider = fake.contentProviders.get("mlexp-snapshot");
    await expect(async () => provider?.provideTextDocumentContent(Uri.from({ scheme: "mlexp-snapshot", path: "/a.ts", query: "commit=HEAD" }))).rejects.toThrow(/"HEAD" is not a git commit hash/);
    await expect(async () => provider?.provideTextDocumentContent(Uri.from({ scheme: "mlexp-snapshot", path: "/../a.ts", query: `commit=${"a".repeat(40)}` }))).rejects.toThrow(/is not a path inside the repository/);
  });
});
