import { formatNumber, trimZeros } from "../formatNumber";
import type { FieldValue } from "./fields";

/** A field value as a person reads it in a table cell, a tooltip or a filter; missing values as "". */
export function formatFieldValue(value: FieldValue | undefined): string {
  if (value === null || value === undefined) return "";
  return typeof value === "number" ? formatNumber(value) : String(value);
}

/** A duration in seconds as "2.5 s", "3 min 20 s", "1 h 05 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "";
  if (seconds < 60) return `${trimZeros(seconds.toFixed(seconds < 10 ? 2 : 1))} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.round(seconds % 60)).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}
