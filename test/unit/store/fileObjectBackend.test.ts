import { FileObjectBackend } from "../../../src/core/objects/fileObjectBackend";
import { describeObjectBackendConformance } from "../../conformance/objectBackendCases";
import { tempDir } from "../../helpers/tempDir";

describeObjectBackendConformance("workspace object folder", async () => {
  const dir = tempDir();
  return { open: async () => new FileObjectBackend(dir) };
});
