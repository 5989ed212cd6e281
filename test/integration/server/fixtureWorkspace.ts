/**
 * The workspace the protocol tests index, written to a temporary folder. Kept as strings rather
 * than files under test/ because it holds deliberate mistakes that tsc and eslint must not check.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Store } from "../../../src/core/store/store";
import type { ModelRun } from "../../../src/core/store/runRecord";
import { makeRun } from "../../helpers/runs";

export const FIXTURE_FILES: Readonly<Record<string, string>> = {
  ".gitignore": "ignored/\n*.generated.ts\n",
  "mlexp.config.ts": `import { registerDataAccessObject, registerFeatureGenerator, registerModel } from "mlexp";
import { CentroidModel } from "./src/models/centroid";
import { DeepModel } from "./src/models/deep";
import { Scaler } from "./src/features";
import { Customers } from "./src/data/customers";
import { OtherModel } from "./src/models/other";

registerModel("Centroid", CentroidModel);
registerModel("Deep", DeepModel);
registerFeatureGenerator("Scaler", Scaler);
registerDataAccessObject("Customers", Customers);
registerModel("Centroid", OtherModel);
registerModel("ScalerModel", Scaler);
`,
  "src/models/base.ts": `import { Model as MlexpModel, param } from "mlexp";

/** An intermediate base class of the user's: its subclasses are models too. */
export abstract class TabularModel extends MlexpModel {
  static override readonly params = { seed: param.integer({ default: 1, description: "Seed of the model" }) };
}
`,
  "src/models/centroid.ts": `import { param } from "mlexp";
import { TabularModel } from "./base";

export class CentroidModel extends TabularModel {
  static override readonly params = {
    ...TabularModel.params,
    shrinkage: param.number({ default: 0.1, min: 0, max: 1, description: "Pull towards the mean" }),
    temperature: param.number({ default: 1, description: "Softness" }),
  };
  static override readonly description = "Nearest shrunken centroid";
  fit() {}
  predict() { return new Float64Array(); }
  save() {}
  load() {}
}
`,
  "src/models/specs.ts": `import { param } from "mlexp";

export const deepSpecs = {
  layers: param.integer({ default: 2, min: 1, description: "Hidden layers" }),
  activation: param.string({ default: "relu", choices: ["relu", "tanh"] }),
};
`,
  "src/models/deep.ts": `import * as base from "./base";
import { deepSpecs } from "./specs.js";

export class DeepModel extends base.TabularModel {
  static override readonly params = deepSpecs;
  fit() {}
  predict() { return new Float64Array(); }
  save() {}
  load() {}
}
`,
  "src/models/other.ts": `import { Model } from "mlexp";

export class OtherModel extends Model {
  fit() {}
  predict() { return new Float64Array(); }
  save() {}
  load() {}
}

export class LonelyModel extends Model {
  fit() {}
  predict() { return new Float64Array(); }
  save() {}
  load() {}
}
`,
  "src/features/index.ts": `export { Scaler } from "./scaler";
`,
  "src/features/scaler.ts": `import { FeatureGenerator, param } from "mlexp";

export class Scaler extends FeatureGenerator {
  static override readonly params = { clip: param.number({ default: 4 }) };
  fit() {}
  transform() { return undefined; }
}
`,
  "src/data/customers.js": `const { DataAccessObject: Base } = require("mlexp");

class Customers extends Base {
  async load() { return undefined; }
}

module.exports = { Customers };
`,
  "train.ts": `import { getDataAccessObject, getModel, trainModel } from "mlexp";
import "./mlexp.config";

export default async function main(): Promise<void> {
  await trainModel({
    modelClass: getModel("Centroid"),
    modelParams: { shrinkage: [0.1, 0.2], shrinkag: 1 },
    featureGeneratorClass: "Scaler",
    datasetClass: getDataAccessObject("Custmers"),
  });
  getModel("Centriod");
}
`,
  "ignored/model.ts": `import { Model, registerModel } from "mlexp";
export class IgnoredModel extends Model {}
registerModel("Ignored", IgnoredModel);
`,
  "src/skip.generated.ts": `import { registerModel } from "mlexp";
registerModel("Generated", class {});
`,
  "node_modules/some-package/index.ts": `import { Model, registerModel } from "mlexp";
export class PackageModel extends Model {}
registerModel("FromPackage", PackageModel);
`,
  "dist/bundle.js": `registerModel("FromDist", class {});
`,
};

export function writeFixture(root: string, files: Readonly<Record<string, string>> = FIXTURE_FILES): void {
  for (const [relative, text] of Object.entries(files)) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

/** A finished run of the fixture workspace: its Centroid model on Scaler and Customers; override what a test is about. */
export function fixtureRun(overrides: Partial<ModelRun> = {}): ModelRun {
  return makeRun({
    model_class: "Centroid",
    feature_generator_class: "Scaler",
    dataset_class: "Customers",
    start_time: "2026-01-01T12:00:00.000Z",
    end_time: "2026-01-01T12:00:01.000Z",
    ...overrides,
  });
}

/** Records runs in the workspace's store through the library, as a training would. */
export async function recordRuns(root: string, runs: readonly ModelRun[]): Promise<void> {
  const store = Store.open(root);
  try {
    for (const run of runs) await store.insertRun(run);
  } finally {
    store.close();
  }
}
