/**
 * A number as people read it wherever mlexp shows one to a person — the Runs view, the CodeLens,
 * the comparison panel — so the same metric shows the same digits everywhere: integers as they
 * are, four significant digits otherwise, whole numbers from 1,000 on, and exponent notation
 * ("1.5e-4", "1.235e6") for very small or large values, which is how learning rates are written.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return trimExponent(value.toExponential(3));
  if (magnitude >= 1000) return String(Math.round(value));
  return String(Number(value.toPrecision(4)));
}

/** "1.500e-4" → "1.5e-4": trailing zeros of the mantissa say nothing. */
function trimExponent(text: string): string {
  const [mantissa, exponent] = text.split("e");
  return `${trimZeros(mantissa)}e${exponent.replace("+", "")}`;
}

export function trimZeros(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}
