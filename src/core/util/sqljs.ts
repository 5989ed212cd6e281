import type { SqlJsStatic } from "sql.js";
import { locateAsset } from "./assets";

let loading: Promise<SqlJsStatic> | undefined;

/** sql.js, initialised once per process and only when something needs it. */
export function loadSqlJs(): Promise<SqlJsStatic> {
  loading ??= (async () => {
    const { default: initSqlJs } = await import("sql.js");
    const wasm = locateAsset("sql-wasm.wasm", "sql.js/dist/sql-wasm.wasm");
    return initSqlJs({ locateFile: () => wasm });
  })();
  return loading;
}
