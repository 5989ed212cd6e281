import Mocha from "mocha";
import { mlexpCases } from "./mlexp.cases";

/**
 * The same scenarios run with mocha's API, for a host that is not @vscode/test-cli: the code-server
 * end-to-end run (test/e2e/vscodeSuite.e2e.test.ts) requires this bundle and calls run(), passing
 * `log` to collect the report ("  ✓ name (ms)" per passing scenario).
 */
export function run(log: (line: string) => void = (line) => console.log(line)): Promise<void> {
  const mocha = new Mocha({ ui: "tdd", timeout: 120_000, reporter: reporterLoggingTo(log) });
  const suite = Mocha.Suite.create(mocha.suite, "mlexp in VS Code");
  for (const scenario of mlexpCases(log)) suite.addTest(new Mocha.Test(scenario.name, () => scenario.run()));
  return new Promise((resolve, reject) =>
    mocha.run((failures) => (failures ? reject(new Error(`${failures} mlexp scenario(s) failed`)) : resolve())),
  );
}

/** A mocha reporter writing each result as one line to `log`. */
function reporterLoggingTo(log: (line: string) => void): typeof Mocha.reporters.Base {
  return class LogReporter extends Mocha.reporters.Base {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
      super(runner, options);
      runner.on("pass", (test) => log(`  ✓ ${test.title} (${test.duration ?? 0} ms)`));
      runner.on("fail", (test, error: Error) => log(`  ✗ ${test.title}\n${indent(error.stack ?? error.message)}`));
      runner.once("end", () => log(`${this.stats.passes} passed, ${this.stats.failures} failed`));
    }
  };
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `      ${line}`)
    .join("\n");
}
