/**
 * Adam's hyper-parameters, shared by the plain TypeScript and the TensorFlow.js models so that
 * both run the same algorithm. The epsilon is TensorFlow.js's float32 default, not numpy's 1e-8.
 */
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;

/**
 * Adam on a flat Float64Array of parameters, written as tf.train.adam writes it (bias corrections
 * divide the moments, epsilon is added after the square root) so that the two implementations
 * agree to float32 precision.
 */
export class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private beta1Power = 1;
  private beta2Power = 1;

  constructor(size: number) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** Moves `params` one step against `grads` (same length as the constructor's size). */
  step(params: Float64Array, grads: Float64Array, learningRate: number): void {
    const { beta1, beta2, epsilon } = ADAM;
    this.beta1Power *= beta1;
    this.beta2Power *= beta2;
    const correction1 = 1 - this.beta1Power;
    const correction2 = 1 - this.beta2Power;
    const m = this.m;
    const v = this.v;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i];
      m[i] = m[i] * beta1 + g * (1 - beta1);
      v[i] = v[i] * beta2 + g * g * (1 - beta2);
      params[i] -= (learningRate * (m[i] / correction1)) / (Math.sqrt(v[i] / correction2) + epsilon);
    }
  }
}
