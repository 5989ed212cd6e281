import { param } from "../../../components/params";
import { SCHEDULES, type AutomaticEpochs } from "./schedule";

/** Label passed to `Rng.fork` so both logistic regressions draw the same batch order. */
export const LOGISTIC_BATCH_STREAM = 1;

/**
 * When `epochs` is not given: at least 3 passes and 750 Adam steps. With the linear schedule that
 * reaches scikit-learn's held-out log loss on 50k and 100k rows × 20 (4 and 3 epochs in batches of
 * 256); small data sets have few batches per epoch and need the step count (150 rows: 750 epochs).
 */
export const LOGISTIC_AUTOMATIC_EPOCHS: AutomaticEpochs = { minEpochs: 3, minSteps: 750, maxEpochs: 1000 };

/**
 * The parameters of both logistic regressions (plain TypeScript and TensorFlow.js), declared once
 * so that the two stay the same algorithm with the same defaults.
 */
export const logisticRegressionParams = {
  learningRate: param.number({ default: 0.05, min: 0, exclusiveMin: true, description: "Adam's initial step size." }),
  schedule: param.string({
    default: "linear",
    choices: SCHEDULES,
    description: "Step size over training: 'linear' decays it to 0 over all steps, 'constant' keeps it.",
  }),
  epochs: param.integer({
    min: 1,
    description: "Passes over the training rows. Default: automatic, at least 3 passes and 750 Adam steps.",
  }),
  batchSize: param.integer({ default: 256, min: 1, description: "Rows per Adam step." }),
  l2: param.number({
    default: 0,
    min: 0,
    description: "L2 penalty: adds (l2/2)·‖W‖² (intercepts excluded) to the mean log loss.",
  }),
};
