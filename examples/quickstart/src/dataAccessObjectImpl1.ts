import { CsvFile, DataAccessObject, param, type Dataset, type LoadContext, type ParamValues } from "mlexp";

const params = {
  path: param.string({ default: "data/customers.csv", description: "CSV file, relative to the workspace" }),
  minTenureMonths: param.integer({ default: 0, min: 0, description: "Keep customers with at least this tenure" }),
};

/** Customers and whether they churned, from the bundled CSV file. */
export class DataAccessObjectImpl1 extends DataAccessObject<ParamValues<typeof params>> {
  static override readonly params = params;
  static override readonly description = "Customer churn records from a CSV file";

  async load(context: LoadContext): Promise<Dataset> {
    const all = await new CsvFile({ path: this.params.path, target: "churned" }).load(context);
    const tenure = all.column("tenure_months").values as Float64Array;
    const keep: number[] = [];
    tenure.forEach((months, i) => {
      if (months >= this.params.minTenureMonths) keep.push(i);
    });
    return all.take(keep);
  }
}
