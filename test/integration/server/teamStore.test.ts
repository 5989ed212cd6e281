/**
 * The language server on a team store: dist/server.js started with MLEXP_STORE (as the extension
 * starts it from the `mlexp.store` setting) and PGPASSWORD, on a workspace that has no database of
 * its own; its CodeLens run summaries come from PostgreSQL 15 (started here on 127.0.0.1).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresDatabase } from "../../../src/core/store/postgres/database";
import { PostgresRunStore } from "../../../src/core/store/postgres/postgresRunStore";
import { RunsChangedNotification } from "../../../src/protocol/language";
import { startPostgres, type PostgresServer } from "../../helpers/postgres";
import { tempDir } from "../../helpers/tempDir";
import { fixtureRun, writeFixture } from "./fixtureWorkspace";
import { LspClient } from "./lspClient";

let server: PostgresServer;
let url: string;
beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase();
});
afterAll(async () => {
  await server?.stop();
});

/** Another process writing runs to the team store (a training on another machine). */
async function recordInTeamStore(...runs: Parameters<typeof fixtureRun>[0][]): Promise<void> {
  const store = new PostgresRunStore(new PostgresDatabase(url, { password: server.password }));
  try {
    for (const overrides of runs) await store.createRun(fixtureRun(overrides));
  } finally {
    await store.close();
  }
}

describe("language server with a PostgreSQL team store", () => {
  it("shows run summaries from the team store in its CodeLens, follows new runs, and creates no local database", async () => {
    const root = tempDir("mlexp-lsp-team-");
    writeFixture(root);
    await recordInTeamStore(
      { run_id: "20260101-120000-00000011", metrics: { accuracy: 0.8 } },
      { run_id: "20260101-120001-00000012", metrics: { accuracy: 0.85 }, start_time: "2026-01-01T12:00:01.000Z" },
    );
    const client = await LspClient.start(root, { debounceMs: 0 }, { MLEXP_STORE: url, PGPASSWORD: server.password });
    try {
      await client.waitForIndex();
      const lensOf = async (file: string) => (await client.codeLenses(path.join(root, file)))[2]?.command?.title;
      await client.waitFor("the team store's runs", () => client.components?.components.find((c) => c.name === "Centroid")?.runs?.count === 2);
      expect(await lensOf("src/models/centroid.ts")).toBe("2 runs · best accuracy 0.85");
      expect(await lensOf("src/models/deep.ts")).toBe("no runs yet");

      // A run written elsewhere; the extension, whose watcher sees the store change, tells the server.
      const refreshes = client.lensRefreshes;
      await recordInTeamStore({ run_id: "20260101-120002-00000013", model_class: "Deep", metrics: { accuracy: 0.7 } });
      await client.connection.sendNotification(RunsChangedNotification, { workspace: root });
      await client.waitFor("the new team run", () => client.components?.components.find((c) => c.name === "Deep")?.runs?.count === 1);
      await client.waitFor("a lens refresh", () => client.lensRefreshes > refreshes);
      expect(await lensOf("src/models/deep.ts")).toBe("1 run · best accuracy 0.7");
      expect(fs.existsSync(path.join(root, ".mlexp", "mlexp.db"))).toBe(false);
    } finally {
      await client.stop();
    }
  });

  it("a team store it cannot reach: the lenses keep working, without run counts, and the log never has the password", async () => {
    const root = tempDir("mlexp-lsp-team-down-");
    writeFixture(root);
    const client = await LspClient.start(root, { debounceMs: 0 }, { MLEXP_STORE: url, PGPASSWORD: "wrong-password-1234" });
    try {
      await client.waitForIndex();
      const lenses = await client.codeLenses(path.join(root, "src/models/centroid.ts"));
      expect(lenses.map((lens) => lens.command?.title)).toEqual(["▶ Train this model", "Train with parameters…", "no runs yet"]);
      await client.waitFor("the store's error in the log", () => client.logMessages.some((message) => message.includes("refused the password")));
      expect(client.logMessages.find((message) => message.includes("refused the password"))).toMatch(new RegExp(`cannot read runs of .*PostgreSQL server 127\\.0\\.0\\.1:${server.port} refused the password`));
      expect([...client.logMessages, client.stderrText()].join("\n")).not.toContain("wrong-password-1234");
    } finally {
      await client.stop();
    }
  });
});
