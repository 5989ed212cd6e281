import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROBE_CONFIG } from "../helpers/probeModel";
import { RedisServer } from "../helpers/redis";
import { clickNotificationButton, openViewContainer, quickInputType, runCommand, screenshot, waitForNotification } from "./harness/workbench";
import { useMlexpSession } from "./mlexp/session";
import { runIdOf, runRowsMatching, seenNotifications, trainFromPalette, widenSideBar } from "./mlexp/ui";

// A hyperparameter search distributed over the extension's own local workers ("mlexp: Start Local
// Workers", processes of the installed .vsix's dist/worker.js: no node_modules anywhere), with a
// real redis-server started here as `mlexp.queue`, in a real VS Code (code-server + Chromium).

const CONTAINER = "ML Experiments";
const SLOW = { timeoutMs: 120_000 };
/** The probe model (test/helpers/probeModel.ts): each fit sleeps `sleepMs`, 3 folds per trial. */
const search = (values: number[], sleepMs: number) => ({
  model: "Probe",
  featureGenerator: "Identity",
  dataset: "Synthetic",
  params: { Probe: JSON.stringify({ value: values, sleepMs }), Synthetic: JSON.stringify({ rows: 150, features: 3 }) },
  paramSteps: ["Probe", "Synthetic"],
});

/**
 * A git repository with the probe's config, and a bare remote as its origin (where workers fetch
 * the code). `mlexp.queue` is a workspace setting: code-server does not apply machine-scoped
 * settings from the user's settings.json to its (remote) extension host.
 */
function searchWorkspace(tmp: string, queue: string): string {
  const repo = join(tmp, "search-project");
  const remote = join(tmp, "team.git");
  mkdirSync(repo);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "ignore", env: { ...process.env, GIT_AUTHOR_NAME: "e2e", GIT_AUTHOR_EMAIL: "e2e@example.com", GIT_COMMITTER_NAME: "e2e", GIT_COMMITTER_EMAIL: "e2e@example.com" } });
  writeFileSync(join(repo, "mlexp.config.ts"), PROBE_CONFIG);
  writeFileSync(join(repo, ".gitignore"), "node_modules\n.vscode\n");
  mkdirSync(join(repo, ".vscode"));
  writeFileSync(join(repo, ".vscode", "settings.json"), JSON.stringify({ "mlexp.queue": queue }));
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "probe");
  execFileSync("git", ["init", "-q", "--bare", remote]);
  git("remote", "add", "origin", remote);
  git("push", "-q", "origin", "main");
  return repo;
}

describe("a search distributed over local workers, in VS Code", () => {
  let redis: RedisServer | undefined;
  // Started before the session's workspace is made (hooks run in the order they are registered).
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const { artifacts, page } = useMlexpSession("distributed", {
    folder: (tmp) => {
      if (!redis) throw new Error("redis-server was not started before the session");
      return searchWorkspace(tmp, redis.url);
    },
    settings: { "mlexp.cancelTimeoutSeconds": 20 },
  });

  const activeTrials = () => Number(redis?.cli("LLEN", "bull:mlexp-trials:active"));
  const jobsOf = (runId: string) => (redis?.cli("--scan", "--pattern", `bull:mlexp-trials:${runId}*`) ?? "").split("\n").filter(Boolean);
  const statusBarText = async () => ((await page().locator(".part.statusbar .statusbar-item").allInnerTexts()).find((text) => /\bworkers?\b/.test(text)) ?? "").trim();

  it("starts local workers from the command palette: as many as cores by default, shown in the status bar", async () => {
    await openViewContainer(page(), CONTAINER, SLOW);
    await widenSideBar(page(), 620);
    await runCommand(page(), "mlexp: Start Local Workers");
    const box = page().locator(".quick-input-widget .quick-input-box input");
    await box.waitFor({ state: "visible", timeout: 30_000 });
    // This machine's cores, as the extension host counts them.
    expect(await box.inputValue()).toBe(String((await import("node:os")).availableParallelism()));
    await screenshot(page(), artifacts, "distributed-01-how-many-workers");
    await quickInputType(page(), "2");
    await expect.poll(statusBarText, { timeout: 120_000 }).toBe("2 workers · 0 trials");
    await screenshot(page(), artifacts, "distributed-02-workers-in-status-bar");
  });

  it("runs a search started from the extension on the workers: progress with trials done and workers, trials in the Runs view as they finish", async () => {
    await trainFromPalette(page(), search([1, 2, 3, 4, 5, 6], 1200));
    const progress = await waitForNotification(page(), /^Training Probe on Synthetic: Searching hyperparameters · [1-5]\/6 trials on 2 workers/, SLOW);
    await screenshot(page(), artifacts, "distributed-03-progress-trials-and-workers");
    expect(await progress.innerText()).toMatch(/[1-5]\/6 trials on 2 workers/);
    // The running run's row opens on its trials, each row added as its trial is recorded.
    await expect.poll(async () => (await runRowsMatching(page(), /^trial \d · accuracy \d/)).length, { timeout: 60_000 }).toBeGreaterThan(0);
    // The run is still going: its row shows progress, not a score.
    const [running] = await runRowsMatching(page(), /^Probe · /);
    expect(running.label).toMatch(/^Probe · (trial \d\/6|searching hyperparameters)/);
    expect((await runRowsMatching(page(), /^trial \d · accuracy \d/)).length).toBeLessThan(6);
    await screenshot(page(), artifacts, "distributed-04-trials-appear-while-running");

    const done = await waitForNotification(page(), /^Run \S+ finished: Probe accuracy \d/, SLOW);
    const runId = ((await done.innerText()).match(/Run (\S+) finished/) ?? [])[1];
    await expect.poll(async () => (await runRowsMatching(page(), /^trial \d · accuracy \d/)).length, { timeout: 30_000 }).toBe(6);
    const trials = await runRowsMatching(page(), /^trial \d · accuracy \d/);
    // Descriptions start with the worker (host/pid) that scored each trial: both took part.
    expect(new Set(trials.map((row) => row.description.split(" · ")[0])).size).toBe(2);
    expect(jobsOf(runId)).toEqual([]);
    await expect.poll(statusBarText, { timeout: 30_000 }).toBe("2 workers · 6 trials");
    await screenshot(page(), artifacts, "distributed-05-search-finished");
    const seen = await seenNotifications(page());
    expect(seen.some((text) => /trials on 2 workers/.test(text)), seen.join("\n")).toBe(true);
  });

  it("cancels a distributed search from its notification: every worker stops within 10 s, the run is cancelled, no job is left", async () => {
    await trainFromPalette(page(), search([1, 2, 3, 4, 5, 6, 7, 8], 4000));
    const progress = /^Training Probe on Synthetic: Searching hyperparameters · \d\/8 trials on \d workers?/;
    await waitForNotification(page(), progress, SLOW);
    await expect.poll(activeTrials, { timeout: 60_000 }).toBe(2);
    await screenshot(page(), artifacts, "distributed-06-long-search-running");
    await clickNotificationButton(page(), "Cancel", { notification: progress });
    const cancelledAt = Date.now();
    await expect.poll(activeTrials, { timeout: 10_000, interval: 100 }).toBe(0);
    expect(Date.now() - cancelledAt).toBeLessThan(10_000);
    await waitForNotification(page(), "Training Probe on Synthetic: cancelled.", SLOW);
    await expect.poll(() => runRowsMatching(page(), /^Probe · cancelled$/), { timeout: 60_000 }).toHaveLength(1);
    const [cancelled] = await runRowsMatching(page(), /^Probe · cancelled$/);
    await expect.poll(() => jobsOf(runIdOf(cancelled)), { timeout: 30_000 }).toEqual([]);
    // What the workers dropped after the cancel is not recorded as failed trials.
    expect(await runRowsMatching(page(), /^trial \d · failed/)).toEqual([]);
    await screenshot(page(), artifacts, "distributed-07-search-cancelled");
  });

  it("stops the local workers with mlexp: Stop Local Workers", async () => {
    await runCommand(page(), "mlexp: Stop Local Workers");
    await expect.poll(statusBarText, { timeout: 60_000 }).toBe("");
    await screenshot(page(), artifacts, "distributed-08-workers-stopped");
  });
});
