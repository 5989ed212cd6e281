import * as path from "node:path";
import { RunDatabase } from "../../../src/core/store/database";
import { WorkspaceRunStore } from "../../../src/core/store/workspaceRunStore";
import { describeRunStoreConformance } from "../../conformance/runStoreCases";
import { tempDir } from "../../helpers/tempDir";

describeRunStoreConformance("workspace sql.js database", async () => {
  const file = path.join(tempDir(), ".mlexp", "mlexp.db");
  return { open: async () => new WorkspaceRunStore(new RunDatabase(file)) };
});

// The same contract when every write folds the journal into the file (checkpoints, and readers
// carrying on from the journal that follows one, on every write).
describeRunStoreConformance("workspace sql.js database, checkpoint after every write", async () => {
  const file = path.join(tempDir(), ".mlexp", "mlexp.db");
  return { open: async () => new WorkspaceRunStore(new RunDatabase(file, 1)) };
});
