import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgres, type PostgresServer } from "../helpers/postgres";
import { openViewContainer, quickInputType, runCommand, screenshot, viewPane, waitForTreeItem } from "./harness/workbench";
import { CLI_TRAINING_ARGS, cliPath, type CliRun, writeFixtureWorkspace } from "./mlexp/scenarios";
import { useMlexpSession } from "./mlexp/session";
import { runIdOf, runRow, runRowsMatching, widenSideBar } from "./mlexp/ui";

// The extension on a team store (PostgreSQL 15 started here, on 127.0.0.1), in a real VS Code
// (code-server + Chromium): the status bar names the store, the password goes into SecretStorage
// and nowhere else, runs the CLI writes appear without a refresh, and a stopped server gives a
// clear message while the view keeps its runs, until it is back.

const CONTAINER = "ML Experiments";
const SLOW = { timeoutMs: 120_000 };
const run = promisify(execFile);

describe("mlexp in VS Code with a PostgreSQL team store (code-server)", () => {
  let postgres: PostgresServer;
  let url = "";
  const settings: Record<string, unknown> = {};
  let first: CliRun;

  /** `mlexp train` in another clone (another person), against the team store. */
  const trainElsewhere = async (): Promise<CliRun> => {
    const { stdout } = await run(process.execPath, [cliPath(), "--workspace", elsewhere, "--json", ...CLI_TRAINING_ARGS], {
      env: { ...process.env, MLEXP_STORE: url, PGPASSWORD: postgres.password },
    });
    return JSON.parse(stdout) as CliRun;
  };
  let elsewhere = "";

  // Registered before the session's: the server and the setting exist before code-server starts.
  beforeAll(async () => {
    postgres = await startPostgres();
    url = await postgres.createDatabase("team_runs");
    settings["mlexp.store"] = url;
    elsewhere = writeFixtureWorkspace(join(mkdtempSync(join(tmpdir(), "mlexp-e2e-elsewhere-")), "clone"));
    first = await trainElsewhere();
  }, 120_000);
  afterAll(async () => {
    await postgres?.stop();
    if (elsewhere) rmSync(join(elsewhere, ".."), { recursive: true, force: true });
  });

  // The setting in the workspace's .vscode/settings.json, as a team commits it (mlexp.store is
  // machine-overridable: code-server reads machine settings of a remote window from the remote only).
  const { artifacts, page, server, workspace } = useMlexpSession("team", {
    prepareWorkspace: (dir) => {
      mkdirSync(join(dir, ".vscode"), { recursive: true });
      writeFileSync(join(dir, ".vscode", "settings.json"), JSON.stringify(settings, null, 2));
    },
    durationsLabel: "team store durations",
  });
  const runsMessage = () => viewPane(page(), "Runs").locator(".message").first();
  const statusTexts = () => page().locator(".part.statusbar .statusbar-item").allInnerTexts();

  it("says in the status bar which store is in use, and that it needs a password", async () => {
    await openViewContainer(page(), CONTAINER, SLOW);
    await widenSideBar(page(), 560);
    await expect.poll(async () => (await statusTexts()).join(" | "), { timeout: 60_000 }).toContain(`team store mlexp@127.0.0.1:${postgres.port}/team_runs`);
    await expect.poll(async () => runsMessage().innerText().catch(() => ""), { timeout: 60_000 }).toMatch(/asks for a password.*Set Team Store Password/);
    await screenshot(page(), artifacts, "team-01-needs-password");
  });

  it("Set Team Store Password keeps it in SecretStorage: the runs appear, and the password is in no setting, file or log", async () => {
    await runCommand(page(), "mlexp: Set Team Store Password");
    await quickInputType(page(), postgres.password);
    await runRow(page(), first.run_id).waitFor({ state: "visible", timeout: SLOW.timeoutMs });
    await screenshot(page(), artifacts, "team-02-runs-from-team-store");
    const codeServer = server();
    if (!codeServer) throw new Error("code-server did not start");
    const places = [
      ...filesUnder(workspace()),
      ...filesUnder(elsewhere),
      ...filesUnder(join(codeServer.userDataDir, "User")).filter((file) => /settings\.json$/.test(file)),
    ];
    expect(places.some((file) => file.endsWith("run.json"))).toBe(true);
    expect(places.filter((file) => readFileSync(file).includes(postgres.password))).toEqual([]);
    expect(codeServer.logs()).not.toContain(postgres.password);
    expect(codeServer.extensionHostLogs()).not.toContain(postgres.password);
  });

  it("shows a run the CLI writes in another clone without a refresh", async () => {
    const second = await trainElsewhere();
    // Shown finished (its last write), not only as the running row it had while it trained.
    await expect.poll(async () => (await runRowsMatching(page(), /accuracy \d/)).map((row) => runIdOf(row)), { timeout: 60_000 }).toContain(second.run_id);
  });

  it("a stopped server: a clear message, the runs stay; they follow again once it is back", async () => {
    await postgres.kill();
    await expect.poll(async () => runsMessage().innerText().catch(() => ""), { timeout: 60_000 }).toMatch(new RegExp(`Cannot reach the PostgreSQL server 127\\.0\\.0\\.1:${postgres.port}`));
    await runRow(page(), first.run_id).waitFor({ state: "visible", timeout: 5_000 });
    // The rest of the extension works meanwhile.
    await waitForTreeItem(page(), "Components", "LogisticRegression", SLOW);
    await screenshot(page(), artifacts, "team-03-server-down");
    expect(server()?.extensionHostLogs()).not.toContain(postgres.password);

    await postgres.restart();
    const third = await trainElsewhere();
    await runRow(page(), third.run_id).waitFor({ state: "visible", timeout: 60_000 });
    await expect.poll(async () => (await runsMessage().isVisible()) ? await runsMessage().innerText() : "", { timeout: 30_000 }).toBe("");
    await screenshot(page(), artifacts, "team-04-server-back");
  });
});

/** Every file under a folder (.mlexp's run folders and database included). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && statSync(join(entry.parentPath, entry.name)).size < 50 * 1024 * 1024)
    .map((entry) => join(entry.parentPath, entry.name));
}
