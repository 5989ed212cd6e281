import type { Registry } from "../components/registry";
import { CsvFile } from "./datasets/csvFile";
import { JsonLines } from "./datasets/jsonLines";
import { SqliteQuery } from "./datasets/sqliteQuery";
import { Synthetic } from "./datasets/synthetic";
import { Identity } from "./features/identity";
import { MinMaxScaler } from "./features/minMaxScaler";
import { OneHotEncoder } from "./features/oneHotEncoder";
import { PolynomialFeatures } from "./features/polynomialFeatures";
import { StandardScaler } from "./features/standardScaler";
import { LinearRegression } from "./models/linearRegression";
import { LogisticRegression } from "./models/logisticRegression";
import { LogisticRegressionTfjs } from "./models/logisticRegressionTfjs";
import { MLPClassifierTfjs } from "./models/mlpClassifierTfjs";
import { RandomForestClassifier } from "./models/randomForestClassifier";

/** The components every workspace has, under the names the documentation promises. */
export function registerBuiltins(registry: Registry): void {
  registry.register("model", "LogisticRegression", LogisticRegression, true);
  registry.register("model", "LogisticRegressionTfjs", LogisticRegressionTfjs, true);
  registry.register("model", "MLPClassifierTfjs", MLPClassifierTfjs, true);
  registry.register("model", "LinearRegression", LinearRegression, true);
  registry.register("model", "RandomForestClassifier", RandomForestClassifier, true);
  registry.register("featureGenerator", "Identity", Identity, true);
  registry.register("featureGenerator", "StandardScaler", StandardScaler, true);
  registry.register("featureGenerator", "MinMaxScaler", MinMaxScaler, true);
  registry.register("featureGenerator", "OneHotEncoder", OneHotEncoder, true);
  registry.register("featureGenerator", "PolynomialFeatures", PolynomialFeatures, true);
  registry.register("dataAccessObject", "CsvFile", CsvFile, true);
  registry.register("dataAccessObject", "JsonLines", JsonLines, true);
  registry.register("dataAccessObject", "SqliteQuery", SqliteQuery, true);
  registry.register("dataAccessObject", "Synthetic", Synthetic, true);
}

export {
  CsvFile,
  Identity,
  JsonLines,
  LinearRegression,
  LogisticRegression,
  LogisticRegressionTfjs,
  MinMaxScaler,
  MLPClassifierTfjs,
  OneHotEncoder,
  PolynomialFeatures,
  RandomForestClassifier,
  SqliteQuery,
  StandardScaler,
  Synthetic,
};
