import * as path from "node:path";
import { RunDatabase } from "../../../src/core/store/database";
import { WorkspaceRunStore } from "../../../src/core/store/workspaceRunStore";
import { describeRunStoreConformance } from "../../conformance/runStoreCases";
import { tempDir } from "../../helpers/tempDir";

describeRunStoreConformance("workspace sql.js database", async () => {
  const file = path.join(tempDir(), ".mlexp", "mlexp.db");
  return { open: async () => new WorkspaceRunStore(new RunDatabase(file)) };
});
