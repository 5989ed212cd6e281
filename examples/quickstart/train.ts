// The seed's two calls, in TypeScript: train a model, then reproduce the run from its run_id.
// Run with: mlexp exec train.ts (in this repository: npm run example).
import { getDataAccessObject, getFeatureGenerator, getModel, trainModel } from "mlexp";
import "./mlexp.config";

export default async function main(): Promise<void> {
  const run = await trainModel({
    modelClass: getModel("ModelImpl1"),
    modelParams: {},
    featureGeneratorClass: getFeatureGenerator("FeatureGeneratorImpl1"),
    datasetClass: getDataAccessObject("DataAccessObjectImpl1"),
    datasetParams: {},
  });
  console.log(`Trained ${run.model_class} on ${run.dataset_class} (${run.dataset_rows} rows): run ${run.run_id}\n`);

  const reproduction = await trainModel({ runId: run.run_id });
  const rows = reproduction.metrics.map((m) => [m.metric, show(m.original), show(m.reproduced), m.verdict.replace("_", " ")]);
  console.log(table(["metric", "trained", "reproduced", "verdict"], rows));
  console.log(`\nReproduction ${reproduction.run.run_id}: ${reproduction.verdict.replace("_", " ")} (same code, parameters, seed and stored data).`);

  const next: Array<[string, string]> = [
    ["mlexp runs", "every run, newest first"],
    [`mlexp show ${run.run_id}`, "this run, with its learning curve"],
    [`mlexp compare ${run.run_id} ${reproduction.run.run_id}`, "what the two runs share and what differs"],
    ["mlexp train --model LogisticRegression --features FeatureGeneratorImpl1 --dataset DataAccessObjectImpl1", "another model on the same data, to compare with"],
    ["VS Code: npm run package, install the .vsix, open this folder", "the Runs view, the run page, ▶ Train this model above your class, the comparison panel"],
  ];
  console.log(`\nWhat to try next:\n${next.map(([command, what]) => `  ${command}\n      ${what}`).join("\n")}`);
  console.log("(In this repository, mlexp is `node dist/cli.js` with `--workspace examples/quickstart`.)");
}

function show(value: number | null): string {
  return value === null ? "—" : value.toFixed(4);
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("   ");
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
