/**
 * Solves the symmetric positive semi-definite system A·w = b (A is d×d, row-major) for ridge and
 * least squares. A is first scaled to unit diagonal (Jacobi), so that the jitter below and the
 * pivot test are relative to each column's own scale rather than to the largest one.
 *
 * When the Cholesky factorisation meets a pivot that is zero or tiny compared with the diagonal
 * (collinear or constant columns), a small ridge ε·I is added to the scaled matrix and the
 * factorisation retried with ε = 1e-10, 1e-9, …; the result then is, to that precision, the
 * minimum-norm least-squares solution (duplicated columns share their weight equally, constant
 * columns get weight 0). `jitter` in the result says which ε was needed (0 when none).
 */
export interface LinearSolution {
  readonly solution: Float64Array;
  readonly jitter: number;
}

/** Pivots below this (the scaled diagonal is 1) count as singular. */
const PIVOT_TOLERANCE = 1e-12;
const FIRST_JITTER = 1e-10;
const LAST_JITTER = 1e-2;

export function solveSymmetric(A: Float64Array, b: Float64Array, d: number): LinearSolution {
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) scale[j] = A[j * d + j] > 0 ? 1 / Math.sqrt(A[j * d + j]) : 1;
  const scaled = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) scaled[i * d + j] = A[i * d + j] * scale[i] * scale[j];
  const rhs = b.map((v, j) => v * scale[j]);
  for (let jitter = 0; jitter <= LAST_JITTER; jitter = jitter === 0 ? FIRST_JITTER : jitter * 10) {
    const factor = choleskyWithJitter(scaled, d, jitter);
    if (!factor) continue;
    const u = solveWithCholesky(factor, rhs, d);
    for (let j = 0; j < d; j++) u[j] *= scale[j];
    return { solution: u, jitter };
  }
  // Unreachable for finite input: the last jitter makes the scaled matrix clearly positive definite.
  throw new Error("The least-squares system could not be solved (non-finite values?).");
}

/** Lower-triangular L with L·Lᵀ = A + jitter·I, or undefined when a pivot is (nearly) zero. */
function choleskyWithJitter(A: Float64Array, d: number, jitter: number): Float64Array | undefined {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = A[i * d + j] + (i === j ? jitter : 0);
      for (let k = 0; k < j; k++) sum -= L[i * d + k] * L[j * d + k];
      if (i === j) {
        if (!(sum > PIVOT_TOLERANCE)) return undefined;
        L[i * d + i] = Math.sqrt(sum);
      } else {
        L[i * d + j] = sum / L[j * d + j];
      }
    }
  }
  return L;
}

/** Solves L·Lᵀ·x = b by forward then backward substitution. */
function solveWithCholesky(L: Float64Array, b: Float64Array, d: number): Float64Array {
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= L[i * d + k] * z[k];
    z[i] = sum / L[i * d + i];
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let sum = z[i];
    for (let k = i + 1; k < d; k++) sum -= L[k * d + i] * x[k];
    x[i] = sum / L[i * d + i];
  }
  return x;
}
