import { Model, type FitContext } from "../../components/model";
import { param, type ParamValues } from "../../components/params";
import type { Matrix } from "../../data/matrix";
import { predictForest, trainForest, type Forest } from "./forest/forest";
import { forestFromJson, treesToJson } from "./forest/serialisation";
import { throwIfCancelled } from "./shared/cancellation";
import { checkClassLabels, checkPredictionData, checkTrainingData, notFitted } from "./shared/checks";
import { integerField, readModelJson, stringArrayField, writeModelJson } from "./shared/modelFiles";
import { argmaxRows } from "./shared/probabilities";

const spec = {
  nEstimators: param.integer({ default: 50, min: 1, description: "Number of trees." }),
  maxDepth: param.integer({ default: 10, min: 1, description: "Maximum depth of each tree (the root is depth 0)." }),
  maxFeatures: param.number({
    default: 1,
    min: 0,
    exclusiveMin: true,
    max: 1,
    description:
      "Fraction of the feature columns examined at each split: floor(cols·maxFeatures), at least one, drawn anew at every split as scikit-learn's max_features. 1 examines all (bagged trees); scikit-learn's default, 'sqrt', is √cols/cols.",
  }),
  minSamplesLeaf: param.integer({
    default: 1,
    min: 1,
    description: "Fewest training rows a leaf may hold (a row the bootstrap drew twice counts twice).",
  }),
  bootstrap: param.boolean({
    default: true,
    description: "Train each tree on a bootstrap sample (as many rows drawn with replacement); false: every tree sees every row.",
  }),
};

const SAVED = { format: "mlexp.RandomForestClassifier", version: 2 } as const;
const FILE = "randomForest.json";
const NAME = "RandomForestClassifier";

interface Fitted {
  readonly forest: Forest;
  readonly names: readonly string[];
}

/**
 * A random forest of CART classification trees (Gini), in plain TypeScript (forest/*.ts).
 *
 * Each feature is binned once into at most 256 quantile bins (one bin per value when there are
 * that few, so small data gets exact CART splits); a node's best split then comes from class counts
 * per bin, so a tree level costs O(rows · features) instead of a sort per node. Each tree grows on a
 * bootstrap sample and examines a fresh random subset of the columns at every split, as
 * scikit-learn does. Probabilities are the mean over trees of the class distribution in the leaf a
 * row reaches (scikit-learn's rule, not vote fractions).
 *
 * Every random draw comes from the run's seeded generator, and split scores come from whole-number
 * class counts (exact whatever the order of additions), so the same data and seed give the same
 * trees in any process. Progress is reported ten
 * times per fit (not per tree): epoch = trees grown so far, with their out-of-bag accuracy
 * (`oob_accuracy`, on up to 10,000 training rows) as the learning curve.
 */
export class RandomForestClassifier extends Model<ParamValues<typeof spec>> {
  static override readonly params = spec;
  static override readonly task = "classification";
  static override readonly description = "Random forest classifier (bagged histogram-based CART trees, Gini), in plain TypeScript.";

  private fitted?: Fitted;

  async fit(X: Matrix, y: Float64Array, context: FitContext): Promise<void> {
    checkTrainingData(NAME, X, y);
    const classes = checkClassLabels(NAME, y, context);
    throwIfCancelled(context.signal);
    const { nEstimators, maxDepth, maxFeatures, minSamplesLeaf, bootstrap } = this.params;
    const forest = await trainForest(X, y, classes, { trees: nEstimators, maxDepth, maxFeatures, minSamplesLeaf, bootstrap }, context);
    this.fitted = { forest, names: [...X.names] };
  }

  predict(X: Matrix): Float64Array {
    return argmaxRows(this.predictProba(X));
  }

  /** The mean over trees of the leaf class distributions. */
  override predictProba(X: Matrix): Matrix {
    const model = this.requireFitted();
    checkPredictionData(NAME, X, model.names.length);
    return predictForest(model.forest, X);
  }

  async save(dir: string): Promise<void> {
    const { forest, names } = this.requireFitted();
    await writeModelJson(dir, FILE, SAVED, { features: names, classes: forest.classes, trees: treesToJson(forest) });
  }

  async load(dir: string): Promise<void> {
    const doc = await readModelJson(dir, FILE, SAVED);
    const names = stringArrayField(doc, "features");
    const classes = integerField(doc, "classes", 2);
    this.fitted = { forest: forestFromJson(doc.trees, classes, names.length), names };
  }

  private requireFitted(): Fitted {
    if (!this.fitted) throw notFitted(NAME);
    return this.fitted;
  }
}
