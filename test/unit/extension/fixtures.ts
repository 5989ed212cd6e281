import type { ModelRun } from "../../../src/core/store/runRecord";
import type { ComponentDescription } from "../../../src/core/workspace/describe";

/** A finished run with plausible values; override what a test is about. */
export function makeRun(overrides: Partial<ModelRun> = {}): ModelRun {
  return {
    run_id: "20261126-064801-3fa9c2d1",
    model_class: "ModelImpl1",
    hyperparameters: { shrinkage: 0.1 },
    githash: "0123456789abcdef0123456789abcdef01234567",
    feature_generator_class: "Identity",
    dataset_class: "CsvFile",
    metrics: { accuracy: 0.8125, f1: 0.75 },
    artifacts: ".mlexp/runs/20261126-064801-3fa9c2d1",
    start_time: "2026-11-26T06:48:01.000Z",
    end_time: "2026-11-26T06:48:03.500Z",
    status: "finished",
    model_params: {},
    feature_generator_params: {},
    dataset_params: { path: "data.csv", target: "label" },
    seed: 42,
    metric: "accuracy",
    search: { strategy: "grid", trials: 1, cv: 0 },
    task: "classification",
    test_fraction: 0.2,
    backend: null,
    base_commit: null,
    dirty: false,
    workspace_path: "",
    dataset_hash: "abc",
    dataset_rows: 800,
    reproduced_from: null,
    reproduction: null,
    details: {},
    error: null,
    pid: 1234,
    host: "host",
    mlexp_version: "0.1.0",
    ...overrides,
  };
}

export const MODEL_IMPL: ComponentDescription = {
  kind: "model",
  name: "ModelImpl1",
  className: "ModelImpl1",
  builtin: false,
  description: "Nearest shrunken centroid classifier",
  task: "classification",
  params: [
    { name: "shrinkage", type: "number", default: 0.1, required: false, min: 0, max: 1 },
    { name: "temperature", type: "number", default: 1, required: false },
  ],
};

export const LOGISTIC: ComponentDescription = {
  kind: "model",
  name: "LogisticRegression",
  className: "LogisticRegression",
  builtin: true,
  description: "Logistic regression",
  task: "classification",
  params: [{ name: "epochs", type: "integer", default: 50, required: false }],
};

export const IDENTITY: ComponentDescription = { kind: "featureGenerator", name: "Identity", className: "Identity", builtin: true, description: "", params: [] };

export const SCALER: ComponentDescription = {
  kind: "featureGenerator",
  name: "StandardScaler",
  className: "StandardScaler",
  builtin: true,
  description: "Scales",
  params: [{ name: "withMean", type: "boolean", default: true, required: false }],
};

export const CSV: ComponentDescription = {
  kind: "dataAccessObject",
  name: "CsvFile",
  className: "CsvFile",
  builtin: true,
  description: "Reads a CSV file",
  params: [
    { name: "path", type: "string", required: true, description: "The CSV file" },
    { name: "target", type: "string", required: true },
    { name: "delimiter", type: "string", default: ",", required: false },
  ],
};

export const USER_DAO: ComponentDescription = {
  kind: "dataAccessObject",
  name: "Customers",
  className: "CustomersDao",
  builtin: false,
  description: "Customers",
  params: [],
};

export const COMPONENTS: ComponentDescription[] = [LOGISTIC, MODEL_IMPL, IDENTITY, SCALER, CSV, USER_DAO];
