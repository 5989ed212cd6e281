import type { DataAccessObject, DataAccessObjectClass } from "../../components/dataAccessObject";
import type { SourceIdentity } from "../../objects/sourceIndex";
import { CsvFile } from "./csvFile";
import { JsonLines } from "./jsonLines";
import { SqliteQuery } from "./sqliteQuery";
import { Synthetic } from "./synthetic";

/**
 * mlexp's own loaders whose output depends only on their parameters and the bytes of the file
 * their `path` names (SqliteQuery reads the whole database file into sql.js; Synthetic reads
 * nothing). Matched by the class itself, never by name: a workspace class registered under one of
 * these names, or extending one of them, may read anything else.
 */
const FROM_FILE = new Map<DataAccessObjectClass, string>([
  [CsvFile, "CsvFile"],
  [JsonLines, "JsonLines"],
  [SqliteQuery, "SqliteQuery"],
]);
const GENERATED = new Map<DataAccessObjectClass, string>([[Synthetic, "Synthetic"]]);

/**
 * The identity of a built-in loader's output (see SourceIdentity), or undefined for any other
 * loader. `dao` is the constructed loader: its resolved parameters (defaults filled in) are the key.
 */
export function builtinSourceIdentity(cls: DataAccessObjectClass, dao: DataAccessObject<object>, resolvePath: (file: string) => string): SourceIdentity | undefined {
  const params = dao.params as Record<string, unknown>;
  const generated = GENERATED.get(cls);
  if (generated) return { loader: generated, params, files: [] };
  const fromFile = FROM_FILE.get(cls);
  if (!fromFile || typeof params.path !== "string" || params.path.trim() === "") return undefined;
  return { loader: fromFile, params, files: [resolvePath(params.path)] };
}
