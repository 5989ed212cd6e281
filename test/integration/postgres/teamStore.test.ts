import * as net from "node:net";
import * as os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresDatabase } from "../../../src/core/store/postgres/database";
import { PostgresRunStore } from "../../../src/core/store/postgres/postgresRunStore";
import { PG_SCHEMA_VERSION } from "../../../src/core/store/postgres/schema";
import type { ModelRun } from "../../../src/core/store/runRecord";
import { spawn } from "node:child_process";
import { CLI, runCli } from "../../helpers/cli";
import { initRepo } from "../../helpers/gitRepo";
import { startPostgres, type PostgresServer } from "../../helpers/postgres";
import { makeRun } from "../../helpers/runs";
import { tempDir } from "../../helpers/tempDir";

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});

const synthetic = JSON.stringify({ rows: 300, features: 4, seed: 3 });

function workspace(): string {
  const dir = tempDir();
  initRepo(dir, { ".gitignore": "node_modules\n" });
  return dir;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

describe("the PostgreSQL team store from the command line", () => {
  it("4 processes × 5 trainings at once against one new database: 20 runs, readable from another workspace", async () => {
    const url = await server.createDatabase();
    const env = { PGPASSWORD: server.password };
    const [a, b] = [workspace(), workspace()];
    // Four processes start on a new database at once: one migrates, the others wait; all work.
    const script = `for i in 1 2 3 4 5; do "$NODE" "$CLI" --store "$URL" train --model LogisticRegression --dataset Synthetic --dataset-params "$PARAMS" --json || exit 1; done`;
    const results = await Promise.all(
      [a, b, a, b].map(
        (dir) =>
          new Promise<{ code: number | null; stderr: string }>((resolve) => {
            const child = spawn("bash", ["-c", script], { cwd: dir, env: { ...process.env, ...env, NODE: process.execPath, CLI, URL: url, PARAMS: synthetic }, stdio: ["ignore", "ignore", "pipe"] });
            let stderr = "";
            child.stderr.on("data", (chunk) => (stderr += chunk));
            child.on("close", (code) => resolve({ code, stderr }));
          }),
      ),
    );
    for (const result of results) {
      expect(result.code).toBe(0);
      // These repositories have no remote: each run says its snapshot stayed local, nothing else.
      for (const line of result.stderr.trim().split("\n")) expect(line).toMatch(/^warning: the code snapshot of run \S+ was not pushed to origin \(the repository has no git remote "origin"\)/);
    }
    const listed = await runCli(["runs", "--json", "--all"], { cwd: tempDir(), env: { ...env, MLEXP_STORE: url } });
    const runs = JSON.parse(listed.stdout) as ModelRun[];
    expect(runs).toHaveLength(20);
    expect(new Set(runs.map((r) => r.run_id)).size).toBe(20);
    expect(runs.every((r) => r.status === "finished" && r.dataset_hash)).toBe(true);
    expect((await server.query(url.split("/").pop() as string, "SELECT count(*)::int AS n FROM mlexp_schema_migrations"))[0]).toEqual({ n: PG_SCHEMA_VERSION });
    expect(listed.stdout).not.toContain(server.password);
  });

  it("reproduces a run trained in another clone of the same repository, fetching its data from the team store", async () => {
    const url = await server.createDatabase();
    const env = { PGPASSWORD: server.password, MLEXP_STORE: url };
    const origin = workspace();
    const trained = await runCli(["train", "--model", "LogisticRegression", "--dataset", "Synthetic", "--dataset-params", synthetic, "--json"], { cwd: origin, env });
    const run = JSON.parse(trained.stdout) as ModelRun;
    const clone = tempDir();
    const { git } = await import("../../helpers/gitRepo");
    git(clone, "clone", "-q", origin, ".");
    git(origin, "push", "-q", clone, `refs/mlexp/runs/${run.run_id}:refs/mlexp/runs/${run.run_id}`);
    const reproduced = await runCli(["reproduce", run.run_id, "--json"], { cwd: clone, env });
    expect(reproduced.stderr).toBe("");
    expect(JSON.parse(reproduced.stdout).verdict).toBe("identical");
  });

  it("reads a running run as crashed once its heartbeat is older than the limit, whatever its host", async () => {
    const url = await server.createDatabase();
    const store = new PostgresRunStore(new PostgresDatabase(url, { password: server.password }), 60_000);
    try {
      const run = makeRun({ run_id: "20261126-064801-0000000a", status: "running", end_time: null, host: "another-host", pid: 1 });
      await store.createRun(run);
      expect((await store.getRun(run.run_id))?.status).toBe("running");
      await server.query(url.split("/").pop() as string, "UPDATE run_heartbeats SET beat_at = now() - interval '61 seconds'");
      expect((await store.getRun(run.run_id))?.status).toBe("crashed");
      expect((await store.listRuns({ status: ["crashed"] })).map((r) => r.run_id)).toEqual([run.run_id]);
      await store.heartbeat(run.run_id);
      expect((await store.getRun(run.run_id))?.status).toBe("running");
    } finally {
      await store.close();
    }
  });

  describe("a store that cannot be used: one line, within 10 s, naming the host and never the password", () => {
    const check = async (url: string, env: Record<string, string>, expected: RegExp) => {
      const started = Date.now();
      const result = await runCli(["runs", "--store", url], { cwd: tempDir(), env, timeoutMs: 30_000 });
      const elapsed = Date.now() - started;
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(expected);
      expect(result.stderr).not.toContain(server.password);
      expect(result.stderr).not.toContain("hunter2");
      return elapsed;
    };

    it("unreachable host", async () => {
      const port = await closedPort();
      const elapsed = await check(`postgresql://mlexp@127.0.0.1:${port}/db`, { PGPASSWORD: "hunter2" }, new RegExp(`Cannot reach the PostgreSQL server 127\\.0\\.0\\.1:${port}`));
      expect(elapsed).toBeLessThan(10_000);
    });

    it("wrong password", async () => {
      const url = await server.createDatabase();
      await check(url, { PGPASSWORD: "hunter2" }, new RegExp(`127\\.0\\.0\\.1:${server.port} refused the password of user "mlexp".*PGPASSWORD`));
    });

    it("no password at all", async () => {
      const url = await server.createDatabase();
      await check(url, { PGPASSWORD: "", PGPASSFILE: `${os.tmpdir()}/no-such-pgpass` }, /asks for a password/);
    });

    it("wrong database", async () => {
      await check(server.url("no_such_db"), { PGPASSWORD: server.password }, new RegExp(`database "no_such_db" does not exist on the PostgreSQL server 127\\.0\\.0\\.1:${server.port}`));
    });

    it("malformed URL", async () => {
      await check("postgresql://mlexp@127.0.0.1:notaport/db", {}, /malformed: the port "notaport" is not a number|malformed/);
    });

    it("a password in the URL is refused without being repeated", async () => {
      await check(`postgresql://mlexp:hunter2@127.0.0.1:${server.port}/db`, {}, /contains a password.*PGPASSWORD/);
    });
  });
});
