import { MlexpError } from "../../../util/errors";
import { isPlainObject } from "../../../util/json";
import type { Forest } from "./forest";
import { LEAF, scoreTree, type Tree } from "./tree";

/**
 * A tree as saved: the arrays of `Tree` as JSON arrays. Thresholds are raw feature values and
 * doubles survive JSON exactly, leaf counts are whole numbers, so a loaded tree is the trained one.
 */
export interface SavedTree {
  feature: number[];
  threshold: number[];
  child: number[];
  leafCounts: number[];
}

export function treesToJson(forest: Forest): SavedTree[] {
  return forest.trees.map(({ tree }) => ({
    feature: Array.from(tree.feature),
    threshold: Array.from(tree.threshold),
    child: Array.from(tree.child),
    leafCounts: Array.from(tree.leafCounts),
  }));
}

/** Rebuilds a forest from saved trees, checking everything prediction relies on. */
export function forestFromJson(value: unknown, classes: number, cols: number): Forest {
  if (!Array.isArray(value) || value.length === 0) throw corrupted(`"trees" should be a non-empty array`);
  const trees = value.map((saved: unknown, t) => scoreTree(treeFromJson(saved, classes, cols, t), classes));
  return { classes, cols, trees };
}

function treeFromJson(saved: unknown, classes: number, cols: number, index: number): Tree {
  const where = `tree ${index}`;
  if (!isPlainObject(saved)) throw corrupted(`${where} is not an object`);
  const feature = Int32Array.from(integers(saved.feature, `${where}'s "feature"`));
  const nodes = feature.length;
  const threshold = Float64Array.from(finiteNumbers(saved.threshold, `${where}'s "threshold"`, nodes));
  const child = Int32Array.from(integers(saved.child, `${where}'s "child"`, nodes));
  const leafCounts = Float64Array.from(finiteNumbers(saved.leafCounts, `${where}'s "leafCounts"`));
  const tree = { feature, threshold, child, leafCounts };
  checkStructure(tree, classes, cols, where);
  return tree;
}

/**
 * Every split names an existing column and two later nodes (so every walk from the root ends),
 * every leaf an existing row of counts with some weight (so its distribution is defined).
 */
function checkStructure(tree: Tree, classes: number, cols: number, where: string): void {
  const { feature, child, leafCounts } = tree;
  const nodes = feature.length;
  if (nodes === 0 || leafCounts.length % classes !== 0) throw corrupted(`${where} has no nodes or a partial row of leaf counts`);
  const leaves = leafCounts.length / classes;
  for (let i = 0; i < nodes; i++) {
    const ok = feature[i] === LEAF ? child[i] >= 0 && child[i] < leaves : feature[i] >= 0 && feature[i] < cols && child[i] > i && child[i] + 1 < nodes;
    if (!ok) throw corrupted(`${where}'s node ${i} points outside the tree (feature ${feature[i]}, child ${child[i]})`);
  }
  for (let leaf = 0; leaf < leaves; leaf++) {
    let total = 0;
    for (let c = 0; c < classes; c++) {
      const count = leafCounts[leaf * classes + c];
      if (count < 0) throw corrupted(`${where}'s leaf ${leaf} has a negative count`);
      total += count;
    }
    if (total === 0) throw corrupted(`${where}'s leaf ${leaf} has no training rows`);
  }
}

function finiteNumbers(value: unknown, what: string, length?: number): number[] {
  const ok = Array.isArray(value) && value.every((v) => typeof v === "number" && Number.isFinite(v)) && (length === undefined || value.length === length);
  if (!ok) throw corrupted(`${what} should be ${length === undefined ? "an array of" : `${length}`} finite numbers`);
  return value as number[];
}

function integers(value: unknown, what: string, length?: number): number[] {
  const numbers = finiteNumbers(value, what, length);
  // Int32Array.from would wrap larger values into valid-looking indices.
  if (!numbers.every((v) => Number.isInteger(v) && Math.abs(v) < 2 ** 31)) throw corrupted(`${what} should hold 32-bit whole numbers`);
  return numbers;
}

function corrupted(detail: string): MlexpError {
  return new MlexpError(`The saved random forest is damaged: ${detail}.`, "object_corrupted");
}
