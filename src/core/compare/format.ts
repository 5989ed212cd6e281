import type { FieldValue } from "./fields";

/**
 * A field value as a person reads it in a table cell, a tooltip or a filter: integers as they are,
 * other numbers to four significant digits (exponent notation for very small or large ones, which is
 * how learning rates and penalties are written), missing values as "".
 */
export function formatFieldValue(value: FieldValue | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "number") return String(value);
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return trimExponent(value.toExponential(3));
  return trimZeros(value.toPrecision(4));
}

/** "1.500e-4" → "1.5e-4": trailing zeros of the mantissa say nothing. */
function trimExponent(text: string): string {
  const [mantissa, exponent] = text.split("e");
  return `${trimZeros(mantissa)}e${exponent.replace("+", "")}`;
}

function trimZeros(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** A duration in seconds as "2.5 s", "3 min 20 s", "1 h 05 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "";
  if (seconds < 60) return `${trimZeros(seconds.toFixed(seconds < 10 ? 2 : 1))} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.round(seconds % 60)).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}
