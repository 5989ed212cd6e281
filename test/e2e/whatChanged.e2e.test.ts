import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openViewContainer, screenshot } from "./harness/workbench";
import { panelFrame, waitForComparedRuns } from "./mlexp/comparePanel";
import { COMPARED_MODEL_PARAMS, trainWithCli, userModelCliArgs, type CliRun } from "./mlexp/scenarios";
import { useMlexpSession } from "./mlexp/session";
import { chooseFromContextMenu, runRow, selectRunRows, widenSideBar } from "./mlexp/ui";

// "What changed" in the comparison panel of the packaged extension in a real VS Code (code-server +
// Chromium): two runs of the workspace's model, the second after an uncommitted edit of the model's
// file and rows appended to the data. The section says so in one sentence, lists the files (one
// opens in VS Code's diff editor, both sides read from the runs' snapshot commits), the data
// summary, and opens the sample of changed rows.

const CONTAINER = "ML Experiments";
const SLOW = { timeoutMs: 120_000 };
const MODEL_FILE = "src/modelImpl1.ts";
const EDIT = "// What changed: tuned after the first run.";

describe("what changed between two runs, in VS Code (code-server)", () => {
  const runs: CliRun[] = [];
  const { artifacts, page, timed } = useMlexpSession("what-changed", {
    prepareWorkspace: (dir) => {
      runs.push(trainWithCli(dir, userModelCliArgs(COMPARED_MODEL_PARAMS[0])));
      // Uncommitted: the second run's snapshot holds them, the first run's does not.
      appendFileSync(join(dir, MODEL_FILE), `\n${EDIT}\n`);
      const data = join(dir, "data", "customers.csv");
      const lines = readFileSync(data, "utf8").trimEnd().split("\n");
      writeFileSync(data, `${[...lines, ...lines.slice(1, 41)].join("\n")}\n`);
      runs.push(trainWithCli(dir, userModelCliArgs(COMPARED_MODEL_PARAMS[0])));
    },
    durationsLabel: "what changed durations",
  });
  const [base, other] = [() => runs[0].run_id, () => runs[1].run_id];
  const card = () => panelFrame(page()).locator(`.diff-card[data-run-id="${other()}"]`);

  it("shows the summary sentence, the changed files and the data summary against the base run", () =>
    timed("whatChangedSection", async () => {
      expect(runs.map((run) => run.status)).toEqual(["finished", "finished"]);
      await openViewContainer(page(), CONTAINER, SLOW);
      await widenSideBar(page(), 520);
      for (const run of runs) await runRow(page(), run.run_id).waitFor({ state: "visible", timeout: SLOW.timeoutMs });
      await selectRunRows(page(), [base(), other()]);
      await chooseFromContextMenu(runRow(page(), other()), "Compare Runs");
      await waitForComparedRuns(page(), [base(), other()], SLOW);
      const section = panelFrame(page()).locator("vscode-collapsible.what-changed");
      await section.click({ position: { x: 40, y: 10 } });
      const summary = card().locator(".diff-summary");
      await summary.waitFor({ state: "visible", timeout: SLOW.timeoutMs });
      expect(await summary.textContent()).toMatch(new RegExp(`^${other()} differs from ${base()} in 2 files \\(\\+4[0-9] −0\\) and 5% more rows; accuracy `));
      const files = await card().locator(".diff-file").allTextContents();
      expect(files).toEqual(["data/customers.csv", MODEL_FILE]);
      expect(await card().locator(".component-changed").allTextContents()).toEqual([`Model ModelImpl1: source changed (${MODEL_FILE})`]);
      const data = card().locator(".diff-data");
      expect(await data.locator(".diff-facts li").first().textContent()).toBe("800 → 840 rows: 40 added, 0 removed, 0 changed");
      expect(await data.locator(".diff-shifts tbody tr").count()).toBeGreaterThan(0);
      await card().scrollIntoViewIfNeeded();
      await screenshot(page(), artifacts, "50-what-changed-section");
    }));

  it("opens a changed file in VS Code's diff editor, both sides from the runs' snapshots", () =>
    timed("openFileDiff", async () => {
      await card().locator(`.diff-file[data-path="${MODEL_FILE}"]`).click();
      const editor = page().locator(".monaco-diff-editor");
      await editor.first().waitFor({ state: "visible", timeout: SLOW.timeoutMs });
      const tab = page().locator(".tabs-container .tab.active");
      await expect.poll(() => tab.textContent(), { timeout: 30_000 }).toContain(`modelImpl1.ts (${base()} ↔ ${other()})`);
      // The added line is on the right (the second run's snapshot) and marked as inserted.
      // Monaco renders spaces as no-break spaces.
      const text = async (side: string) => ((await editor.locator(`.editor.${side} .view-lines`).first().textContent()) ?? "").replaceAll("\u00a0", " ");
      await expect.poll(() => text("modified"), { timeout: 30_000 }).toContain("What changed: tuned after the first run.");
      expect(await text("original")).not.toContain("What changed: tuned");
      expect(await editor.locator(".line-insert, .char-insert").count()).toBeGreaterThan(0);
      await screenshot(page(), artifacts, "51-what-changed-file-diff");
    }));

  it("opens the sample of changed rows as a read-only document", () =>
    timed("openRowSample", async () => {
      // Back to the panel: its page reloads, and "What changed" comes back open, with the same base run.
      await page().locator(".tabs-container .tab").filter({ hasText: "Compare:" }).first().click();
      await card().locator(".open-rows").click({ timeout: SLOW.timeoutMs });
      const tab = page().locator(".tabs-container .tab.active");
      await expect.poll(() => tab.textContent(), { timeout: SLOW.timeoutMs }).toContain(`changed-rows-${base()}-${other()}.csv`);
      await expect.poll(() => page().locator(".editor-instance .view-lines").first().textContent(), { timeout: 30_000 }).toContain("change,run,tenure_months");
      // A content provider's document is read-only: typing changes nothing.
      const lines = page().locator(".editor-instance .view-lines").first();
      await lines.click();
      await page().keyboard.press("Home");
      await page().keyboard.type("typed");
      await page().waitForTimeout(500);
      expect(((await lines.textContent()) ?? "").replaceAll("\u00a0", " ")).not.toContain("typed");
      await screenshot(page(), artifacts, "52-what-changed-row-sample");
    }));
});
