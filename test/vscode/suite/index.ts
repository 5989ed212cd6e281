import { mlexpCases } from "./mlexp.cases";
import { runCases } from "./runner";

/**
 * The entry point @vscode/test-electron calls inside the extension host (`extensionTestsPath`).
 * `log` lets another host (the code-server run of this suite) collect the report.
 */
export function run(log: (line: string) => void = (line) => console.log(line)): Promise<void> {
  return runCases(mlexpCases(log), log);
}
