import type { ComponentDescription } from "../../../src/core/workspace/describe";

export const MODEL_IMPL: ComponentDescription = {
  kind: "model",
  name: "ModelImpl1",
  className: "ModelImpl1",
  builtin: false,
  description: "Nearest shrunken centroid classifier",
  task: "classification",
  params: [
    { name: "shrinkage", type: "number", default: 0.1, required: false, min: 0, max: 1 },
    { name: "temperature", type: "number", default: 1, required: false, min: 0, exclusiveMin: true },
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
