import { DataAccessObject, type LoadContext } from "../../components/dataAccessObject";
import { param, type ParamValues, type RawParams } from "../../components/params";
import { Dataset, type Column } from "../../data/dataset";
import { MlexpError } from "../../util/errors";
import { Rng } from "../../util/random";
import { sharedCopy } from "./shared/sharedColumn";
import {
  addNoise,
  categoricalColumns,
  classificationFeatures,
  drawLabels,
  featureLayout,
  labelName,
  regressionTarget,
  type SyntheticShape,
} from "./shared/syntheticParts";

/** Beyond this many cells the dataset would not fit in memory anyway; say so instead of crashing. */
const MAX_CELLS = 250_000_000;

const spec = {
  task: param.string({ default: "classification", choices: ["classification", "regression"], description: "What the target is." }),
  rows: param.integer({ default: 1000, min: 1, max: 100_000_000, description: "Number of rows." }),
  features: param.integer({ default: 10, min: 1, max: 100_000, description: "Number of numeric feature columns x0, x1, …" }),
  informative: param.integer({ min: 0, description: "How many of x0, x1, … carry signal, the rest being noise (default: min(features, 5))." }),
  classes: param.integer({ default: 2, min: 2, max: 1000, description: "Number of classes (classification only)." }),
  noise: param.number({ default: 1, min: 0, description: "Standard deviation of the Gaussian noise: around each class centre, or added to the regression target." }),
  seed: param.integer({ default: 0, description: "The dataset's own seed: the data depends on it only, never on the run's training seed." }),
  categorical: param.integer({ default: 0, min: 0, max: 1000, description: "Number of extra text columns c0, c1, … (the first half informative)." }),
  stringLabels: param.boolean({ default: false, description: 'Class labels as text ("class_a", "class_b", …) instead of 0, 1, … (classification only).' }),
};

export type SyntheticParams = ParamValues<typeof spec>;

/**
 * Generated data for trying things out, the same on every machine for a given `seed` (its own
 * seed, deliberately independent of the training seed, so that runs with different training seeds
 * compare on the same data).
 *
 * Classification: each class has a centre on a grid (±1 per informative feature when 2^informative
 * ≥ classes) and rows scatter around it with Gaussian noise of standard deviation `noise`, so the
 * classes overlap: learnable, not trivially separable. Regression: a linear function of the
 * informative features plus Gaussian noise. Every feature is then given its own scale (0.5 to 2)
 * and offset, as real data would, so that scalers have something to do. Text columns take values
 * "a", "b", …; the informative ones follow the class (classification) or shift the target
 * (regression). The target column is "target".
 */
export class Synthetic extends DataAccessObject<SyntheticParams> {
  static override readonly params = spec;
  static override readonly description = "Generates a seeded classification or regression dataset (for demos, tests and benchmarks).";

  constructor(params: RawParams = {}) {
    super(params);
    checkParams(this.params);
  }

  /** The context's seed is deliberately unused: the data depends on the `seed` parameter only. */
  load(_context?: LoadContext): Dataset {
    const shape = shapeOf(this.params);
    const root = new Rng(this.params.seed);
    // Separate streams: the problem's design (centres, weights, scales) and the rows themselves.
    const design = root.fork(1);
    const sampler = root.fork(2);
    return shape.task === "classification" ? classification(shape, design, sampler) : regression(shape, design, sampler);
  }
}

function shapeOf(params: SyntheticParams): SyntheticShape {
  return {
    task: params.task === "regression" ? "regression" : "classification",
    rows: params.rows,
    features: params.features,
    informative: params.informative ?? Math.min(params.features, 5),
    classes: params.classes,
    noise: params.noise,
    categorical: params.categorical,
    stringLabels: params.stringLabels,
  };
}

function classification(shape: SyntheticShape, design: Rng, sampler: Rng): Dataset {
  const labels = drawLabels(shape, sampler);
  const layout = featureLayout(shape, design);
  const features = classificationFeatures(shape, layout, labels, design, sampler);
  const categories = categoricalColumns(shape, design, sampler, { labels });
  return new Dataset([...features, ...categories, classificationTarget(shape, labels)], "target");
}

function regression(shape: SyntheticShape, design: Rng, sampler: Rng): Dataset {
  const layout = featureLayout(shape, design);
  const { features, target } = regressionTarget(shape, layout, design, sampler);
  const categories = categoricalColumns(shape, design, sampler, { target });
  addNoise(target, shape.noise, sampler);
  return new Dataset([...features, ...categories, { name: "target", kind: "number", values: target }], "target");
}

function classificationTarget(shape: SyntheticShape, labels: Uint32Array): Column {
  if (!shape.stringLabels) return { name: "target", kind: "number", values: sharedCopy(Float64Array.from(labels), labels.length) };
  const names = Array.from({ length: shape.classes }, (_, c) => `class_${labelName(c)}`);
  return { name: "target", kind: "string", values: Array.from(labels, (label) => names[label]) };
}

function checkParams(params: SyntheticParams): void {
  const fail = (detail: string, hint: string): never => {
    throw new MlexpError(`Invalid parameters for data access object "Synthetic": ${detail}`, "invalid_params", hint);
  };
  if (params.informative !== undefined && params.informative > params.features) {
    fail(
      `"informative" (${params.informative}) is more than "features" (${params.features}).`,
      `Lower "informative" or raise "features".`,
    );
  }
  if (params.task === "regression" && params.stringLabels) {
    fail(`"stringLabels" only applies to classification, but "task" is "regression".`, `Remove "stringLabels".`);
  }
  const cells = params.rows * (params.features + params.categorical + 1);
  if (cells > MAX_CELLS) {
    fail(
      `${params.rows} rows × ${params.features + params.categorical + 1} columns is ${cells.toLocaleString("en-US")} values, more than the ${MAX_CELLS.toLocaleString("en-US")} that fit in memory.`,
      `Lower "rows" or "features".`,
    );
  }
}
