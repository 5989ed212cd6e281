// mlexp loads this file to learn the workspace's components. Import the modules that define them
// and register each under the name you will use in `trainModel`, the CLI and VS Code.
import { registerDataAccessObject, registerFeatureGenerator, registerModel } from "mlexp";
import { DataAccessObjectImpl1 } from "./src/dataAccessObjectImpl1";
import { FeatureGeneratorImpl1 } from "./src/featureGeneratorImpl1";
import { ModelImpl1 } from "./src/modelImpl1";

registerModel("ModelImpl1", ModelImpl1);
registerFeatureGenerator("FeatureGeneratorImpl1", FeatureGeneratorImpl1);
registerDataAccessObject("DataAccessObjectImpl1", DataAccessObjectImpl1);
