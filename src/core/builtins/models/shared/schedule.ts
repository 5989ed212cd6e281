/**
 * How long to train and how fast: shared by the TypeScript and TensorFlow.js models so that the
 * two logistic regressions take identical steps.
 */

export const SCHEDULES = ["linear", "constant"] as const;
export type Schedule = (typeof SCHEDULES)[number];

/**
 * The step size of Adam step `step` (0-based) out of `totalSteps`. "linear" decays it from
 * `learningRate` towards 0 (the last step uses learningRate/totalSteps): the shrinking steps let
 * the final weights settle at the optimum instead of jittering around it, which a constant step
 * only achieves with many more epochs.
 */
export function scheduledLearningRate(schedule: Schedule, learningRate: number, step: number, totalSteps: number): number {
  return schedule === "linear" ? learningRate * (1 - step / totalSteps) : learningRate;
}

/** What "epochs not given" means for a model: enough passes and enough steps. */
export interface AutomaticEpochs {
  minEpochs: number;
  minSteps: number;
  maxEpochs: number;
}

/**
 * The given number of epochs, or the automatic one: at least `minEpochs` passes and at least
 * `minSteps` Adam steps (small data sets have few batches per epoch, so they need more passes),
 * at most `maxEpochs`.
 */
export function resolveEpochs(given: number | undefined, rows: number, batchSize: number, rule: AutomaticEpochs): number {
  if (given !== undefined) return given;
  const perEpoch = stepsPerEpoch(rows, batchSize);
  return Math.min(rule.maxEpochs, Math.max(rule.minEpochs, Math.ceil(rule.minSteps / perEpoch)));
}

export function stepsPerEpoch(rows: number, batchSize: number): number {
  return Math.ceil(rows / batchSize);
}
