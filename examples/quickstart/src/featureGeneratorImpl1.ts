import { createMatrix, FeatureGenerator, param, type Dataset, type Matrix, type ParamValues } from "mlexp";

const params = {
  clip: param.number({ default: 4, exclusiveMin: true, min: 0, description: "Clip standardised values to ±clip" }),
};

interface ColumnState {
  name: string;
  mean: number;
  std: number;
  categories: string[];
}

/**
 * Standardises numeric columns (clipped) and one-hot encodes text columns. Learns means, spreads
 * and categories from the training rows only.
 */
export class FeatureGeneratorImpl1 extends FeatureGenerator<ParamValues<typeof params>> {
  static override readonly params = params;
  static override readonly description = "Clipped z-scores for numbers, one-hot for text";
  private columns: ColumnState[] = [];

  fit(data: Dataset): void {
    this.columns = data.featureColumns.map((column) => {
      if (column.kind === "string") {
        const categories = [...new Set(column.values.filter((v): v is string => v !== null))].sort();
        return { name: column.name, mean: 0, std: 1, categories };
      }
      const present = Array.from(column.values).filter((v) => !Number.isNaN(v));
      const mean = present.reduce((s, v) => s + v, 0) / Math.max(1, present.length);
      const variance = present.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, present.length);
      return { name: column.name, mean, std: Math.sqrt(variance) || 1, categories: [] };
    });
  }

  transform(data: Dataset): Matrix {
    const names = this.columns.flatMap((c) => (c.categories.length ? c.categories.map((k) => `${c.name}=${k}`) : [c.name]));
    const out = createMatrix(data.rowCount, names.length, names);
    let offset = 0;
    for (const state of this.columns) {
      const column = data.column(state.name);
      for (let i = 0; i < data.rowCount; i++) {
        const row = i * out.cols + offset;
        if (column.kind === "string") {
          const k = state.categories.indexOf(column.values[i] ?? "");
          if (k >= 0) out.data[row + k] = 1;
        } else {
          const value = Number.isNaN(column.values[i]) ? state.mean : column.values[i];
          const z = (value - state.mean) / state.std;
          out.data[row] = Math.max(-this.params.clip, Math.min(this.params.clip, z));
        }
      }
      offset += state.categories.length || 1;
    }
    return out;
  }

  override getState(): ColumnState[] {
    return this.columns;
  }

  override setState(state: unknown): void {
    this.columns = state as ColumnState[];
  }
}
