import type { ModelRun } from "../../../src/core/store/runRecord";
import { makeRun } from "../../helpers/runs";

/** Three runs that share a dataset and features and differ in model parameters and metrics. */
export function threeRuns(): ModelRun[] {
  return [
    makeRun({ run_id: "20261126-070000-aaaaaaaa", start_time: "2026-11-26T07:00:00.000Z", hyperparameters: { lr: 0.1, epochs: 10 }, metrics: { accuracy: 0.8, log_loss: 0.5 } }),
    makeRun({ run_id: "20261126-080000-bbbbbbbb", start_time: "2026-11-26T08:00:00.000Z", hyperparameters: { lr: 0.01, epochs: 10 }, metrics: { accuracy: 0.9, log_loss: 0.45 } }),
    makeRun({ run_id: "20261126-090000-cccccccc", start_time: "2026-11-26T09:00:00.000Z", hyperparameters: { lr: 0.001, epochs: 20 }, metrics: { accuracy: 0.85, log_loss: 0.3 }, dirty: true }),
  ];
}

export const [A, B, C] = threeRuns().map((run) => run.run_id);
