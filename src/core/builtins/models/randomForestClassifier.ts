import { RandomForestClassifier as MlRandomForest } from "ml-random-forest";
import { Model, type FitContext } from "../../components/model";
import { param, type ParamValues } from "../../components/params";
import { toNestedRows, type Matrix } from "../../data/matrix";
import { MlexpError } from "../../util/errors";
import { isPlainObject } from "../../util/json";
import { throwIfCancelled } from "./shared/cancellation";
import { checkClassLabels, checkPredictionData, checkTrainingData, notFitted } from "./shared/checks";
import { integerField, readModelJson, stringArrayField, writeModelJson } from "./shared/modelFiles";
import { argmaxRows, probabilityMatrix } from "./shared/probabilities";

const spec = {
  nEstimators: param.integer({ default: 50, min: 1, description: "Number of trees." }),
  maxDepth: param.integer({ default: 10, min: 1, description: "Maximum depth of each tree." }),
  maxFeatures: param.number({
    default: 1,
    min: 0,
    exclusiveMin: true,
    max: 1,
    description: "Fraction of the feature columns each tree sees (a random subset per tree, at least one).",
  }),
};

const SAVED = { format: "mlexp.RandomForestClassifier", version: 1 } as const;
const FILE = "randomForest.json";
const NAME = "RandomForestClassifier";
/** Measured here: 2,000 rows take about 0.5 s per tree, 5,000 rows about 3 s. */
const SLOW_ABOVE_ROWS = 5000;

/** The library's own JSON form of a trained forest (its type is not exported). */
type SavedForest = Parameters<typeof MlRandomForest.load>[0];

interface Fitted {
  readonly forest: MlRandomForest;
  readonly classes: number;
  readonly names: readonly string[];
}

/**
 * A random forest of CART trees (ml-random-forest): each tree is trained on a bootstrap sample of
 * the rows and on a random subset of the columns (chosen per tree, not per split as in
 * scikit-learn). Probabilities are the fraction of trees voting for each class.
 *
 * Determinism: every random draw of the library goes through Mersenne Twister engines seeded from
 * its `seed` option, which we always set from the run's seed; the library only falls back to
 * Math.random (random-js autoSeed) when that option is missing.
 */
export class RandomForestClassifier extends Model<ParamValues<typeof spec>> {
  static override readonly params = spec;
  static override readonly task = "classification";
  static override readonly description = "Random forest classifier (bagged CART trees, ml-random-forest).";

  private fitted?: Fitted;

  fit(X: Matrix, y: Float64Array, context: FitContext): void {
    checkTrainingData(NAME, X, y);
    const classes = checkClassLabels(NAME, y, context);
    throwIfCancelled(context.signal);
    if (X.rows > SLOW_ABOVE_ROWS) {
      context.log(
        `${NAME}: ml-random-forest's training time grows with the square of the rows; ${X.rows} rows may take minutes per tree.`,
      );
    }
    const forest = new MlRandomForest({
      nEstimators: this.params.nEstimators,
      maxFeatures: featuresFractionForLibrary(X.cols, this.params.maxFeatures),
      // Feature subsets without repeats: a repeated column adds nothing to a tree.
      replacement: false,
      useSampleBagging: true,
      // Out-of-bag predictions cost time and are not used.
      noOOB: true,
      seed: context.rng.seed(),
      treeOptions: { maxDepth: this.params.maxDepth },
    });
    forest.train(toNestedRows(X), Array.from(y));
    throwIfCancelled(context.signal);
    this.fitted = { forest, classes, names: [...X.names] };
  }

  predict(X: Matrix): Float64Array {
    return argmaxRows(this.predictProba(X));
  }

  /** The fraction of trees that vote for each class. */
  override predictProba(X: Matrix): Matrix {
    const model = this.requireFitted();
    checkPredictionData(NAME, X, model.names.length);
    const votes = model.forest.predictionValues(toNestedRows(X));
    const trees = votes.columns;
    const proba = probabilityMatrix(X.rows, model.classes);
    for (let i = 0; i < X.rows; i++) {
      for (let t = 0; t < trees; t++) proba.data[i * model.classes + votes.get(i, t)] += 1;
      for (let c = 0; c < model.classes; c++) proba.data[i * model.classes + c] /= trees;
    }
    return proba;
  }

  async save(dir: string): Promise<void> {
    const model = this.requireFitted();
    await writeModelJson(dir, FILE, SAVED, { features: model.names, classes: model.classes, forest: model.forest.toJSON() });
  }

  async load(dir: string): Promise<void> {
    const doc = await readModelJson(dir, FILE, SAVED);
    const names = stringArrayField(doc, "features");
    const classes = integerField(doc, "classes", 2);
    if (!isPlainObject(doc.forest) || doc.forest.name !== "RFClassifier") {
      throw new MlexpError(`The saved model's "forest" is not an ml-random-forest classifier.`, "object_corrupted");
    }
    const forest = MlRandomForest.load(doc.forest as unknown as SavedForest);
    this.fitted = { forest, classes, names };
  }

  private requireFitted(): Fitted {
    if (!this.fitted) throw notFitted(NAME);
    return this.fitted;
  }
}

/**
 * ml-random-forest reads maxFeatures in (0, 1] as a fraction (floor(cols·f) columns, which may be
 * 0) and larger integers as a count, so 1 always means "all columns". We want at least one column
 * and exactly floor(cols·f) otherwise; a fraction half a column above that count gets it exactly.
 */
function featuresFractionForLibrary(cols: number, fraction: number): number {
  const count = Math.max(1, Math.floor(cols * fraction));
  return count >= cols ? 1 : (count + 0.5) / cols;
}
