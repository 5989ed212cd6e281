/**
 * The monomials of PolynomialFeatures as recipes: every term is an earlier term (its prefix) times
 * one column, so a row's terms are computed in order with one multiplication each. Terms come by
 * degree, then in lexicographic order of their columns, as in scikit-learn.
 */
export interface PolynomialTerms {
  /** Index of the term this one extends, -1 for a single column. */
  readonly prefix: Int32Array;
  /** The column multiplied in last. */
  readonly factor: Int32Array;
  readonly names: string[];
}

/** How many terms `polynomialTerms` would make, computed without making them. */
export function countTerms(columns: number, degree: number, interactionOnly: boolean): number {
  let total = 0;
  for (let k = 1; k <= degree; k++) total += interactionOnly ? binomial(columns, k) : binomial(columns + k - 1, k);
  return total;
}

export function polynomialTerms(columnNames: readonly string[], degree: number, interactionOnly: boolean): PolynomialTerms {
  const factors: number[][] = columnNames.map((_, j) => [j]);
  const prefix: number[] = columnNames.map(() => -1);
  const factor: number[] = columnNames.map((_, j) => j);
  let previousDegree = { start: 0, end: factors.length };
  for (let k = 2; k <= degree; k++) {
    const start = factors.length;
    for (let t = previousDegree.start; t < previousDegree.end; t++) {
      const last = factors[t][factors[t].length - 1];
      for (let j = interactionOnly ? last + 1 : last; j < columnNames.length; j++) {
        factors.push([...factors[t], j]);
        prefix.push(t);
        factor.push(j);
      }
    }
    previousDegree = { start, end: factors.length };
  }
  return {
    prefix: Int32Array.from(prefix),
    factor: Int32Array.from(factor),
    names: factors.map((columns) => termName(columns, columnNames)),
  };
}

/** [0, 0, 1] → "x0^2*x1". */
function termName(columns: readonly number[], columnNames: readonly string[]): string {
  const parts: string[] = [];
  for (let i = 0; i < columns.length; ) {
    let power = 1;
    while (i + power < columns.length && columns[i + power] === columns[i]) power++;
    parts.push(power === 1 ? columnNames[columns[i]] : `${columnNames[columns[i]]}^${power}`);
    i += power;
  }
  return parts.join("*");
}

function binomial(n: number, k: number): number {
  if (k > n) return 0;
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return Math.round(result);
}
