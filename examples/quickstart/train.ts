// The seed's two calls, in TypeScript. Run with: mlexp exec examples/quickstart/train.ts
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
  console.log(`trained run ${run.run_id}: ${JSON.stringify(run.metrics)}`);

  const reproduction = await trainModel({ runId: run.run_id });
  console.log(`reproduced it as ${reproduction.run.run_id}: ${reproduction.verdict}`);
}
