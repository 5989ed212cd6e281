import * as fs from "node:fs";
import * as path from "node:path";
import customersCsv from "../../../examples/quickstart/data/customers.csv?raw";
import configSource from "../../../examples/quickstart/mlexp.config.ts?raw";
import daoSource from "../../../examples/quickstart/src/dataAccessObjectImpl1.ts?raw";
import featuresSource from "../../../examples/quickstart/src/featureGeneratorImpl1.ts?raw";
import modelSource from "../../../examples/quickstart/src/modelImpl1.ts?raw";
import { MlexpError } from "../util/errors";

/** The quickstart example is the template: `mlexp init` writes the very files of examples/quickstart. */
const EXAMPLE_FILES: Record<string, string> = {
  "mlexp.config.ts": configSource,
  "src/modelImpl1.ts": modelSource,
  "src/featureGeneratorImpl1.ts": featuresSource,
  "src/dataAccessObjectImpl1.ts": daoSource,
  "data/customers.csv": customersCsv,
};

/** Writes the example components and data into `dir`; refuses (writing nothing) if any file exists. */
export function writeExampleWorkspace(dir: string): string[] {
  const targets = Object.keys(EXAMPLE_FILES).map((file) => path.join(dir, file));
  const existing = targets.filter((file) => fs.existsSync(file));
  if (existing.length) {
    throw new MlexpError(`Not writing the example: ${existing.join(", ")} already exist(s).`, "invalid_argument", "Run it in an empty folder.");
  }
  for (const [file, content] of Object.entries(EXAMPLE_FILES)) {
    const target = path.join(dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  return targets;
}
