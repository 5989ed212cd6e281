import * as fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { SqliteQuery } from "../../../src/core/builtins/datasets/sqliteQuery";
import { loadSqlJs } from "../../../src/core/util/sqljs";
import { errorOf, tempWorkspace, valuesOf, type TempWorkspace } from "./helpers";

let workspace: TempWorkspace;
let dbFile: string;

beforeAll(async () => {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.run(`
    CREATE TABLE houses (id INTEGER, area REAL, city TEXT, rooms TEXT, photo BLOB, price REAL);
    INSERT INTO houses VALUES (1, 50.5, 'Paris', '2', NULL, 300000);
    INSERT INTO houses VALUES (2, NULL, 'Lyon', '3', x'FF00', 200000);
    INSERT INTO houses VALUES (3, 80, NULL, '4', NULL, 250000);
    CREATE TABLE owners (house_id INTEGER, name TEXT);
    INSERT INTO owners VALUES (1, 'ann'), (2, 'bob'), (3, 'cy');
  `);
  workspace = tempWorkspace();
  dbFile = workspace.write("db/houses.sqlite", db.export());
  db.close();
});

function load(query: string, target = "price", path = "db/houses.sqlite") {
  return new SqliteQuery({ path, query, target }).load(workspace.context);
}

describe("SqliteQuery", () => {
  it("returns the query result with NULL as missing and types from the values", async () => {
    const data = await load("SELECT area, city, rooms, price FROM houses ORDER BY id");
    expect(data.columns.map((c) => `${c.name}:${c.kind}`)).toEqual(["area:number", "city:string", "rooms:number", "price:number"]);
    expect(valuesOf(data.column("area"))).toEqual([50.5, NaN, 80]);
    expect(valuesOf(data.column("city"))).toEqual(["Paris", "Lyon", null]);
    expect(valuesOf(data.column("rooms"))).toEqual([2, 3, 4]);
  });

  it("supports joins, filters and renamed columns", async () => {
    const data = await load("SELECT h.area AS size, o.name AS owner, h.price FROM houses h JOIN owners o ON o.house_id = h.id WHERE h.id > 1");
    expect(data.rowCount).toBe(2);
    expect(valuesOf(data.column("owner"))).toEqual(["bob", "cy"]);
  });

  it("never writes the database file back", async () => {
    const before = fs.readFileSync(dbFile);
    const mtime = fs.statSync(dbFile).mtimeMs;
    await errorOf(() => load("DELETE FROM houses"));
    await load("SELECT area, price FROM houses");
    expect(fs.readFileSync(dbFile).equals(before)).toBe(true);
    expect(fs.statSync(dbFile).mtimeMs).toBe(mtime);
  });

  describe("errors", () => {
    it("bad SQL: quotes sqlite's message and names the file", async () => {
      const error = await errorOf(() => load("SELEC area FROM houses"));
      expect(error.code).toBe("invalid_params");
      expect(error.message).toContain('The query on "db/houses.sqlite" failed: near "SELEC": syntax error');
      expect((await errorOf(() => load("SELECT * FROM flats"))).message).toContain("no such table: flats");
    });

    it("a file that is not a database", async () => {
      workspace.write("notes.db", "just some text, certainly not a SQLite database ".repeat(50));
      const error = await errorOf(() => load("SELECT * FROM houses", "price", "notes.db"));
      expect(error.code).toBe("invalid_data");
      expect(error.message).toContain('"notes.db" is not a SQLite database');
      expect(error.message).toMatch(/CsvFile or JsonLines/);
    });

    it("a query without rows: the dataset is empty", async () => {
      const error = await errorOf(() => load("SELECT area, price FROM houses WHERE price < 0"));
      expect(error.message).toContain('The query on "db/houses.sqlite" returned no rows: the dataset is empty');
    });

    it("a binary column: says which and how to convert it", async () => {
      const error = await errorOf(() => load("SELECT photo, price FROM houses"));
      expect(error.message).toContain('binary data (a BLOB) in column "photo"');
      expect(error.message).toMatch(/hex\(photo\)/);
    });

    it("two result columns with the same name", async () => {
      const error = await errorOf(() => load("SELECT area, area, price FROM houses"));
      expect(error.message).toContain('returns two columns named "area"');
      expect(error.message).toMatch(/AS/);
    });

    it("a target that is not in the result: suggests the closest name", async () => {
      const error = await errorOf(() => load("SELECT area, price FROM houses", "prices"));
      expect(error.message).toContain('The target column "prices" is not in the query result on "db/houses.sqlite". Did you mean "price"?');
    });

    it("a missing file and an empty query", async () => {
      const missing = await errorOf(() => load("SELECT 1", "price", "nowhere.sqlite"));
      expect(missing.message).toContain(`${workspace.dir}/nowhere.sqlite`);
      const empty = await errorOf(() => new SqliteQuery({ path: "x.db", query: "  ", target: "y" }));
      expect(empty.message).toMatch(/"query" is empty/);
    });
  });
});
