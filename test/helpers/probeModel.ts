/**
 * A model for distributed-search tests: predicts the majority class after sleeping `sleepMs` per
 * fit (so a trial is still running when a test kills or cancels it), and throws when `value`
 * equals `failOn`. Its score depends on `value` through the data only, so it is deterministic.
 */
export const PROBE_CONFIG = `import { createMatrix, Model, param, registerModel, type FitContext, type Matrix } from "mlexp";

const params = {
  value: param.number({ default: 0 }),
  sleepMs: param.number({ default: 0, min: 0 }),
  failOn: param.number({ default: -1 }),
};

class Probe extends Model<{ value: number; sleepMs: number; failOn: number }> {
  static override readonly params = params;
  static override readonly task = "classification";
  private answer = 0;
  private classes = 2;

  async fit(X: Matrix, y: Float64Array, context: FitContext): Promise<void> {
    if (this.params.value === this.params.failOn) throw new Error("probe refuses value " + this.params.value);
    if (this.params.sleepMs > 0) await new Promise((resolve) => setTimeout(resolve, this.params.sleepMs));
    this.classes = context.classes;
    const counts = new Array(context.classes).fill(0);
    // The first rows decide, so different values give different (but reproducible) scores.
    const take = Math.max(1, Math.min(y.length, Math.round(this.params.value)));
    for (let i = 0; i < take; i++) counts[y[i]]++;
    this.answer = counts.indexOf(Math.max(...counts));
  }

  override predictProba(X: Matrix): Matrix {
    const out = createMatrix(X.rows, this.classes);
    for (let i = 0; i < X.rows; i++) out.data[i * this.classes + this.answer] = 1;
    return out;
  }

  predict(X: Matrix): Float64Array {
    return new Float64Array(X.rows).fill(this.answer);
  }

  save(): void {}
  load(): void {}
}

registerModel("Probe", Probe);
`;
