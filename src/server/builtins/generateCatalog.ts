/**
 * Writes builtinCatalog.json from the library itself: `npx tsx src/server/builtins/generateCatalog.ts`.
 * The server cannot load the built-ins (they bring TensorFlow.js), so it ships their descriptions
 * as data; test/unit/server/builtinCatalog.test.ts fails when the two drift apart.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { builtinRegistry, describeComponents } from "../../core";

export function catalogSource(): string {
  return `${JSON.stringify(describeComponents(builtinRegistry()), null, 2)}\n`;
}

if (require.main === module) {
  const target = path.join(__dirname, "builtinCatalog.json");
  fs.writeFileSync(target, catalogSource());
  console.log(`wrote ${target}`);
}
