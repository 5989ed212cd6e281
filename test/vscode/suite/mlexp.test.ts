import { mlexpCases } from "./mlexp.cases";

/**
 * The file @vscode/test-cli's mocha runner loads inside VS Code's extension host (`vscode-test`,
 * see test/vscode/runTests.ts): mocha's "tdd" interface puts `suite` and `test` on the global
 * object while it loads the file.
 */
interface TddGlobals {
  suite(title: string, body: () => void): void;
  test(title: string, fn: () => Promise<void>): void;
}
const { suite, test } = globalThis as unknown as TddGlobals;

suite("mlexp in VS Code", () => {
  for (const scenario of mlexpCases((line) => console.log(line))) test(scenario.name, () => scenario.run());
});
