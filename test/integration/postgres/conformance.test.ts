import { afterAll, beforeAll, describe } from "vitest";
import { PostgresDatabase } from "../../../src/core/store/postgres/database";
import { PostgresObjectBackend } from "../../../src/core/store/postgres/postgresObjectBackend";
import { PostgresRunStore } from "../../../src/core/store/postgres/postgresRunStore";
import { describeObjectBackendConformance } from "../../conformance/objectBackendCases";
import { describeRunStoreConformance } from "../../conformance/runStoreCases";
import { startPostgres, type PostgresServer } from "../../helpers/postgres";

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});

describe("PostgreSQL 15 team store", () => {
  describeRunStoreConformance("PostgreSQL", async () => {
    const url = await server.createDatabase();
    return { open: async () => new PostgresRunStore(new PostgresDatabase(url, { password: server.password })) };
  });
  describeObjectBackendConformance("PostgreSQL", async () => {
    const url = await server.createDatabase();
    const databases: PostgresDatabase[] = [];
    return {
      open: async () => {
        const db = new PostgresDatabase(url, { password: server.password });
        databases.push(db);
        return new PostgresObjectBackend(db);
      },
      cleanup: async () => {
        for (const db of databases) await db.close();
      },
    };
  });
});
