import { distance } from "fastest-levenshtein";

/**
 * The candidate `name` most plausibly meant: one that contains it ("RandomForest" →
 * "RandomForestClassifier"), else the closest by case-insensitive edit distance if near enough.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const containing = lower.length >= 3 ? candidates.filter((c) => c.toLowerCase().includes(lower)) : [];
  if (containing.length) return containing.reduce((a, b) => (b.length < a.length ? b : a));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(2, Math.ceil(name.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** " Did you mean "X"?" or "" — ready to append to an error message. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const guess = closestName(name, candidates);
  return guess ? ` Did you mean "${guess}"?` : "";
}
