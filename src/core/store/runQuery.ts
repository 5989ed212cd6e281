import { MlexpError } from "../util/errors";
import type { RunStatus } from "./runRecord";
import { DEFAULT_LIST_ORDER, METRIC_NAME_PATTERN, type RunFilter, type RunQuery } from "./runStore";

/** How the two SQL backends differ in what a run query needs. */
export interface SqlDialect {
  /** The n-th (1-based) parameter placeholder. */
  placeholder(n: number): string;
  /** A numeric metric value from the `metrics` JSON column. */
  metricValue(name: string, param: string): string;
  /** The status as readers see it (`crashed` for an abandoned `running` row), or undefined when only JS knows. */
  liveStatus?: string;
  /** What LIMIT says for "no limit" (only an OFFSET). */
  noLimit: string;
}

export interface SqlPart {
  where: string;
  orderLimit: string;
  params: unknown[];
  /** Status filters the SQL could not apply (the workspace store checks pids in JS). */
  statusInJs?: readonly RunStatus[];
}

/** Builds the WHERE, ORDER BY, LIMIT and OFFSET of a run query, with bound parameters only. */
export function buildRunQuery(query: RunQuery, dialect: SqlDialect): SqlPart {
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return dialect.placeholder(params.length);
  };
  const { clauses, statusInJs } = filterClauses(query, dialect, bind);
  const where = clauses.length ? `WHERE ${clauses.join(" AND ")}` : "";
  const order = orderClause(query, dialect, bind);
  // Limits applied in JS when the status filter is.
  let limit = "";
  if (!statusInJs) {
    if (query.limit !== undefined) limit += ` LIMIT ${checkCount("limit", query.limit)}`;
    if (query.offset) limit += `${query.limit === undefined ? ` LIMIT ${dialect.noLimit}` : ""} OFFSET ${checkCount("offset", query.offset)}`;
  }
  return { where, orderLimit: `${order}${limit}`, params, ...(statusInJs ? { statusInJs } : {}) };
}

export function filterClauses(filter: RunFilter, dialect: SqlDialect, bind: (value: unknown) => string): { clauses: string[]; statusInJs?: readonly RunStatus[] } {
  const clauses: string[] = [];
  let statusInJs: readonly RunStatus[] | undefined;
  if (filter.model_class !== undefined) clauses.push(`model_class = ${bind(filter.model_class)}`);
  if (filter.idPrefix !== undefined) clauses.push(`run_id LIKE ${bind(`${filter.idPrefix.replace(/[%_\\]/g, "")}%`)}`);
  if (filter.ids !== undefined) clauses.push(filter.ids.length ? `run_id IN (${filter.ids.map((id) => bind(id)).join(", ")})` : "1 = 0");
  if (filter.status !== undefined) {
    if (dialect.liveStatus) {
      clauses.push(filter.status.length ? `${dialect.liveStatus} IN (${filter.status.map((s) => bind(s)).join(", ")})` : "1 = 0");
    } else {
      const stored = new Set(filter.status.map((s) => (s === "crashed" ? "running" : s)));
      clauses.push(stored.size ? `status IN (${[...stored].map((s) => bind(s)).join(", ")})` : "1 = 0");
      statusInJs = filter.status;
    }
  }
  return { clauses, ...(statusInJs ? { statusInJs } : {}) };
}

function orderClause(query: RunQuery, dialect: SqlDialect, bind: (value: unknown) => string): string {
  const sort = query.sort ?? DEFAULT_LIST_ORDER.sort;
  const order = query.order ?? DEFAULT_LIST_ORDER.order;
  if (order !== "asc" && order !== "desc") throw new MlexpError(`The sort order must be asc or desc, got "${String(order)}".`, "invalid_argument");
  const direction = order.toUpperCase();
  if (sort.startsWith("metric:")) {
    const name = sort.slice("metric:".length);
    if (!METRIC_NAME_PATTERN.test(name)) throw new MlexpError(`"${name}" is not a metric name.`, "invalid_argument");
    const value = dialect.metricValue(name, bind(name));
    return ` ORDER BY (${value}) IS NULL, ${value} ${direction}, run_id ${direction}`;
  }
  if (!["start_time", "end_time", "model_class", "run_id"].includes(sort)) {
    throw new MlexpError(`Runs cannot be sorted by "${sort}".`, "invalid_argument", "Sort by start_time, end_time, model_class, run_id or metric:NAME.");
  }
  return ` ORDER BY ${sort} ${direction}${sort === "run_id" ? "" : `, run_id ${direction}`}`;
}

function checkCount(name: string, value: number): number {
  if (Number.isInteger(value) && value >= 0) return value;
  throw new MlexpError(`The ${name} must be a whole number of runs (0 or more), got ${value}.`, "invalid_argument");
}

/** Applies the status filter, offset and limit that SQL could not. */
export function finishInJs<T extends { status: RunStatus }>(rows: T[], part: SqlPart, query: RunQuery): T[] {
  if (!part.statusInJs) return rows;
  const wanted = new Set(part.statusInJs);
  const kept = rows.filter((row) => wanted.has(row.status));
  const start = query.offset ?? 0;
  return kept.slice(start, query.limit === undefined ? undefined : start + query.limit);
}
