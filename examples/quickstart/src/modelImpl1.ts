import * as fs from "node:fs";
import * as path from "node:path";
import { createMatrix, Model, param, type FitContext, type Matrix, type ParamValues } from "mlexp";

const params = {
  shrinkage: param.number({ default: 0.1, min: 0, max: 1, description: "Pull class centroids towards the overall mean" }),
  temperature: param.number({ default: 1, exclusiveMin: true, min: 0, description: "Softness of the probabilities" }),
};

/**
 * A nearest-centroid classifier: each class is the (shrunken) mean of its rows, and a row belongs
 * to the closest centroid. Simple, fast and deterministic: an example of a model of your own.
 */
export class ModelImpl1 extends Model<ParamValues<typeof params>> {
  static override readonly params = params;
  static override readonly task = "classification";
  static override readonly description = "Nearest shrunken centroid classifier";
  private centroids: number[][] = [];

  fit(X: Matrix, y: Float64Array, context: FitContext): void {
    const overall = new Array<number>(X.cols).fill(0);
    const sums = Array.from({ length: context.classes }, () => new Array<number>(X.cols).fill(0));
    const counts = new Array<number>(context.classes).fill(0);
    for (let i = 0; i < X.rows; i++) {
      counts[y[i]]++;
      for (let j = 0; j < X.cols; j++) {
        sums[y[i]][j] += X.data[i * X.cols + j];
        overall[j] += X.data[i * X.cols + j] / X.rows;
      }
    }
    const s = this.params.shrinkage;
    this.centroids = sums.map((sum, k) => sum.map((v, j) => (1 - s) * (v / Math.max(1, counts[k])) + s * overall[j]));
    context.log(`centroids of ${context.classes} classes over ${X.cols} features`);
  }

  override predictProba(X: Matrix): Matrix {
    const k = this.centroids.length;
    const out = createMatrix(X.rows, k);
    for (let i = 0; i < X.rows; i++) {
      const scores = this.centroids.map((c) => -c.reduce((d, v, j) => d + (X.data[i * X.cols + j] - v) ** 2, 0) / this.params.temperature);
      const top = Math.max(...scores);
      const exp = scores.map((v) => Math.exp(v - top));
      const total = exp.reduce((a, b) => a + b, 0);
      exp.forEach((v, c) => (out.data[i * k + c] = v / total));
    }
    return out;
  }

  predict(X: Matrix): Float64Array {
    const proba = this.predictProba(X);
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      const row = proba.data.subarray(i * proba.cols, (i + 1) * proba.cols);
      out[i] = row.indexOf(Math.max(...row));
    }
    return out;
  }

  save(dir: string): void {
    fs.writeFileSync(path.join(dir, "centroids.json"), JSON.stringify(this.centroids));
  }

  load(dir: string): void {
    this.centroids = JSON.parse(fs.readFileSync(path.join(dir, "centroids.json"), "utf8")) as number[][];
  }
}
