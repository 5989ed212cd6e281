import type { Model } from "../components/model";
import type { Matrix } from "../data/matrix";
import { averagingFor, classificationMetrics, regressionMetrics, type Averaging } from "./metrics";

export interface Evaluation {
  metrics: Record<string, number>;
  averaging?: Averaging;
}

/** Scores a fitted model on held-out rows: `classes` is 0 for regression. */
export async function evaluate(model: Model<object>, X: Matrix, y: Float64Array, classes: number): Promise<Evaluation> {
  const predicted = await model.predict(X);
  if (classes === 0) return { metrics: regressionMetrics(y, predicted) };
  const probabilities = model.predictProba ? await model.predictProba(X) : undefined;
  return {
    metrics: classificationMetrics(y, predicted, classes, probabilities),
    averaging: averagingFor(classes),
  };
}
