import { describe, expect, it } from "vitest";
import type { ModelRun } from "../../../src/core/index";
import { runCliJson } from "../../helpers/cli";
import { repoWithRemote, sleep, startCli, waitUntil, WorkerProcess } from "../../helpers/distributed";
import { trialsOf, useQueueWithWorkers } from "../../helpers/serverSuites";

const queue = useQueueWithWorkers();

/** A search whose trials each take about `sleepMs` × 2 folds. */
function slowSearch(values: number[], sleepMs: number): string[] {
  return ["train", "--model", "Probe", "--model-params", JSON.stringify({ value: values, sleepMs }), "--dataset", "Synthetic", "--dataset-params", '{"rows": 120}', "--cv", "2", "--queue", queue.redis.url, "--json"];
}

const activeTrials = () => Number(queue.redis.cli("LLEN", "bull:mlexp-trials:active"));
const jobsOf = (runId: string) => queue.redis.cli("--scan", "--pattern", `bull:mlexp-trials:${runId}*`).split("\n").filter(Boolean);
const workerName = (w: WorkerProcess) => w.lines[0].match(/worker (\S+) takes/)?.[1];

describe("faults during a distributed search", () => {
  it("runs a trial again on another worker within 60 s when its worker is killed with kill -9, recording each score once", async () => {
    const { repo } = repoWithRemote();
    const doomed = queue.startWorker(repo);
    await doomed.ready();
    const search = startCli(slowSearch([1, 2, 3], 1500), repo);
    await waitUntil("a trial running on the first worker", () => activeTrials() === 1, 60_000);
    doomed.kill("SIGKILL");
    const killedAt = Date.now();
    const survivor = queue.startWorker(repo);
    await survivor.ready();
    const result = await search.done;
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout) as ModelRun;
    const trials = await trialsOf(repo, run.run_id);
    expect(trials.map((t) => t.trial)).toEqual([0, 1, 2]);
    expect(trials.every((t) => t.status === "finished" && t.worker === workerName(survivor))).toBe(true);
    const firstRerun = Math.min(...trials.map((t) => Date.parse(t.start_time as string)));
    expect(firstRerun - killedAt).toBeLessThan(60_000);
    expect(jobsOf(run.run_id)).toEqual([]);
  });

  it("stops the trials on every worker within 10 s when the coordinator is cancelled, records the run cancelled and leaves no job", async () => {
    const { repo } = repoWithRemote();
    const pool = [queue.startWorker(repo), queue.startWorker(repo), queue.startWorker(repo)];
    await Promise.all(pool.map((w) => w.ready()));
    const search = startCli(slowSearch([1, 2, 3, 4, 5, 6, 7, 8, 9], 4000), repo);
    await waitUntil("trials running on all three workers", () => activeTrials() === 3, 60_000);
    search.child.kill("SIGINT");
    const cancelledAt = Date.now();
    await waitUntil("no trial running anywhere", () => activeTrials() === 0, 10_000);
    expect(Date.now() - cancelledAt).toBeLessThan(10_000);
    const result = await search.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cancelled/i);
    const [run] = await runCliJson<ModelRun[]>(["runs"], repo);
    expect(run.status).toBe("cancelled");
    expect(jobsOf(run.run_id)).toEqual([]);
    // The workers stayed up and scored nothing after the cancel.
    await sleep(500);
    for (const w of pool) expect(w.lines.filter((l) => l.includes(`of ${run.run_id} accuracy=`))).toEqual([]);
  });

  it("finishes the search when Redis restarts in the middle (AOF), each trial recorded once", async () => {
    const { repo } = repoWithRemote();
    const pool = [queue.startWorker(repo), queue.startWorker(repo)];
    await Promise.all(pool.map((w) => w.ready()));
    const search = startCli(slowSearch([1, 2, 3, 4, 5, 6], 700), repo);
    await waitUntil("a first trial scored", () => pool.some((w) => w.lines.some((l) => l.includes("accuracy="))), 60_000);
    await queue.redis.kill();
    await sleep(1500);
    await queue.redis.launch();
    const result = await search.done;
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout) as ModelRun;
    expect(run.status).toBe("finished");
    const trials = await trialsOf(repo, run.run_id);
    expect(trials.map((t) => [t.trial, t.status])).toEqual([0, 1, 2, 3, 4, 5].map((i) => [i, "finished"]));
  });

  it("fails the search with a clear error when the queue stays unreachable past --queue-timeout", async () => {
    const { repo } = repoWithRemote();
    const worker = queue.startWorker(repo);
    await worker.ready();
    const search = startCli([...slowSearch([1, 2, 3, 4], 1000), "--queue-timeout", "3"], repo);
    await waitUntil("a trial running", () => activeTrials() === 1, 60_000);
    await queue.redis.kill();
    try {
      const result = await search.done;
      expect(result.code, result.stdout + result.stderr).toBe(1);
      expect(result.stderr).toMatch(/^mlexp: The queue redis:\/\/127\.0\.0\.1:\d+ has been unreachable for \d+ s: .*Check that redis-server runs there/m);
      const [run] = await runCliJson<ModelRun[]>(["runs"], repo);
      expect(run.status).toBe("failed");
      expect(run.error).toContain("unreachable");
    } finally {
      await queue.redis.launch();
    }
    // The coordinator is gone: the worker drops its trials rather than score them for nobody.
    await waitUntil("the dead search's trials dropped", () => activeTrials() === 0 && Number(queue.redis.cli("LLEN", "bull:mlexp-trials:wait")) === 0, 60_000);
  });

  it("drops a coordinator's trials on every worker once it is killed with kill -9, and leaves no job in the queue", async () => {
    const { repo } = repoWithRemote();
    const pool = [queue.startWorker(repo), queue.startWorker(repo)];
    await Promise.all(pool.map((w) => w.ready()));
    // --queue-timeout 3: the coordinator's heartbeat lives 3 + 15 s, the limit after which workers give up on it.
    const search = startCli([...slowSearch([1, 2, 3, 4, 5, 6], 4000), "--queue-timeout", "3"], repo);
    await waitUntil("trials running on both workers", () => activeTrials() === 2, 60_000);
    const runId = queue.redis.cli("--scan", "--pattern", "mlexp:coordinator:*").trim().replace("mlexp:coordinator:", "");
    expect(jobsOf(runId).length).toBeGreaterThan(0);
    search.child.kill("SIGKILL");
    await search.done;
    await waitUntil("no job of the dead search left in the queue", () => jobsOf(runId).length === 0 && activeTrials() === 0, 60_000).catch((error: unknown) => {
      throw new Error(`${String(error)}; left: ${jobsOf(runId).join(" ")}; workers said:\n${pool.map((w) => w.lines.join("\n") + w.stderr).join("\n---\n")}`);
    });
    // The workers dropped the trials they had left, and still take new ones.
    const dropped = pool.flatMap((w) => w.lines.filter((l) => l.includes(`of ${runId}: The run's coordinator has stopped waiting`)));
    expect(dropped.length).toBeGreaterThan(0);
    const [run] = await runCliJson<ModelRun[]>(["runs"], repo);
    expect(run.run_id).toBe(runId);
    expect(run.status).toBe("crashed");
    const next = await runCliJson<ModelRun>(slowSearch([1, 2], 0), repo);
    expect(next.status).toBe("finished");
  });

  it("hands its unfinished trial back to the queue when a worker is stopped with Ctrl-C", async () => {
    const { repo } = repoWithRemote();
    const first = queue.startWorker(repo);
    await first.ready();
    const search = startCli(slowSearch([1, 2], 2000), repo);
    await waitUntil("a trial running", () => activeTrials() === 1, 60_000);
    first.kill("SIGINT");
    expect(await first.exited).toBe(0);
    expect(first.lines.join("\n")).toMatch(/handed back trial 1\/2 of .*\n.*worker stopped: 0 trial\(s\) scored, 0 failed, 1 handed back/);
    const second = queue.startWorker(repo);
    const result = await search.done;
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout) as ModelRun;
    const trials = await trialsOf(repo, run.run_id);
    expect(trials.map((t) => t.worker)).toEqual([workerName(second), workerName(second)]);
  });
});
