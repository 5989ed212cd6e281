export interface Point {
  x: number;
  y: number;
}

/**
 * At most `maxPoints` of a series, keeping its shape: Largest-Triangle-Three-Buckets (Steinarsson,
 * 2013) keeps the first and last points and, from each bucket in between, the point that makes the
 * largest triangle with its neighbours — peaks and dips survive, where taking every n-th point
 * would drop them. Points are expected in x order; non-finite y values are dropped first (a
 * diverged epoch must not blank a whole chart).
 */
export function thinSeries(points: readonly Point[], maxPoints: number): Point[] {
  const finite = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (maxPoints >= finite.length) return finite;
  if (maxPoints <= 0) return [];
  if (maxPoints === 1) return [finite[0]];
  if (maxPoints === 2) return [finite[0], finite[finite.length - 1]];
  const kept: Point[] = [finite[0]];
  const bucketSize = (finite.length - 2) / (maxPoints - 2);
  let previous = finite[0];
  for (let bucket = 0; bucket < maxPoints - 2; bucket++) {
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
    const next = averageOf(finite, end, Math.min(Math.floor((bucket + 2) * bucketSize) + 1, finite.length));
    previous = largestTriangle(finite, start, end, previous, next);
    kept.push(previous);
  }
  kept.push(finite[finite.length - 1]);
  return kept;
}

/** The mean point of `points[start, end)`; the last point when the range is empty (the final bucket). */
function averageOf(points: readonly Point[], start: number, end: number): Point {
  if (end <= start) return points[points.length - 1];
  let x = 0;
  let y = 0;
  for (let i = start; i < end; i++) {
    x += points[i].x;
    y += points[i].y;
  }
  return { x: x / (end - start), y: y / (end - start) };
}

function largestTriangle(points: readonly Point[], start: number, end: number, a: Point, c: Point): Point {
  let best = points[start];
  let bestArea = -1;
  for (let i = start; i < end; i++) {
    const b = points[i];
    const area = Math.abs((a.x - c.x) * (b.y - a.y) - (a.x - b.x) * (c.y - a.y));
    if (area > bestArea) {
      bestArea = area;
      best = b;
    }
  }
  return best;
}
