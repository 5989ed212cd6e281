export type Verdict = "identical" | "within_tolerance" | "different";

export interface MetricComparison {
  metric: string;
  original: number | null;
  reproduced: number | null;
  difference: number | null;
  verdict: Verdict;
}

/** Training is deterministic on one backend, so anything but bit-identical deserves a look. */
export const DEFAULT_TOLERANCE = 1e-9;

const RANK: Record<Verdict, number> = { identical: 0, within_tolerance: 1, different: 2 };

/**
 * Compares every metric either run has. Identical means the same double (a missing value equals a missing value); within
 * tolerance means an absolute difference no larger than `tolerance`; a metric only one run has is
 * different. The overall verdict is the worst one.
 */
export function compareMetrics(
  original: Record<string, number | null>,
  reproduced: Record<string, number | null>,
  tolerance: number,
): { verdict: Verdict; metrics: MetricComparison[] } {
  const names = [...new Set([...Object.keys(original), ...Object.keys(reproduced)])].sort();
  const metrics = names.map((metric) => compareOne(metric, asStored(original[metric]), asStored(reproduced[metric]), tolerance));
  const verdict = metrics.reduce<Verdict>((worst, m) => (RANK[m.verdict] > RANK[worst] ? m.verdict : worst), "identical");
  return { verdict, metrics };
}

/** The database keeps NaN as null (JSON has no NaN): compare what would be stored. */
function asStored(value: number | null | undefined): number | null {
  return value === undefined || value === null || Number.isNaN(value) ? null : value;
}

function compareOne(metric: string, a: number | null, b: number | null, tolerance: number): MetricComparison {
  if (a === null || b === null) {
    return { metric, original: a, reproduced: b, difference: null, verdict: a === b ? "identical" : "different" };
  }
  const difference = b - a;
  const verdict: Verdict = a === b ? "identical" : Math.abs(difference) <= tolerance ? "within_tolerance" : "different";
  return { metric, original: a, reproduced: b, difference, verdict };
}
