import { describe, expect, it } from "vitest";
import { Model } from "../../../src/core/components/model";
import { Registry } from "../../../src/core/components/registry";
import type { ModelClass } from "../../../src/core/components/model";
import { builtinRegistry } from "../../../src/core/registration";
import { Identity } from "../../../src/core/builtins";

class Fake extends Model {
  fit(): void {}
  predict(): Float64Array {
    return new Float64Array();
  }
  save(): void {}
  load(): void {}
}

describe("registry", () => {
  it("has the built-ins under the documented names", () => {
    const registry = builtinRegistry();
    expect(registry.names("model")).toEqual(["LogisticRegression", "LogisticRegressionTfjs", "MLPClassifierTfjs", "LinearRegression", "RandomForestClassifier"]);
    expect(registry.names("featureGenerator")).toEqual(["Identity", "StandardScaler", "MinMaxScaler", "OneHotEncoder", "PolynomialFeatures"]);
    expect(registry.names("dataAccessObject")).toEqual(["CsvFile", "JsonLines", "SqliteQuery", "Synthetic"]);
  });

  it("lists the registered names and suggests the closest on an unknown one", () => {
    expect(() => builtinRegistry().get("model", "RandomForest")).toThrow(/Unknown model "RandomForest"\. Did you mean "RandomForestClassifier"\?.*Registered models: LogisticRegression, /);
  });

  it("refuses one name for two classes, a class of the wrong kind, and a bad name", () => {
    const registry = new Registry();
    registry.register("model", "Fake", Fake as unknown as ModelClass);
    registry.register("model", "Fake", Fake as unknown as ModelClass);
    class Other extends Fake {}
    expect(() => registry.register("model", "Fake", Other as unknown as ModelClass)).toThrow(/"Fake" is registered twice \(class Fake and class Other\)/);
    expect(() => registry.register("model", "Scaler", Identity as unknown as ModelClass)).toThrow(/class Identity .* does not extend Model/);
    expect(() => registry.register("model", "has space", Fake as unknown as ModelClass)).toThrow(/Cannot register model under the name "has space"/);
  });

  it("keeps clones independent", () => {
    const base = new Registry();
    const copy = base.clone();
    copy.register("model", "Fake", Fake as unknown as ModelClass);
    expect(base.has("model", "Fake")).toBe(false);
    expect(copy.nameOf("model", Fake as unknown as ModelClass)).toBe("Fake");
  });
});
