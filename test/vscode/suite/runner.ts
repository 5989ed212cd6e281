/**
 * A minimal sequential test runner for code that runs inside a VS Code extension host: no test
 * framework to install, and the cases share one workbench, in order, like a person's session.
 */
export interface TestCase {
  name: string;
  run(): Promise<void>;
}

export async function runCases(cases: readonly TestCase[], log: (line: string) => void = console.log): Promise<void> {
  const failures: string[] = [];
  for (const testCase of cases) {
    const started = Date.now();
    try {
      await testCase.run();
      log(`  ✓ ${testCase.name} (${Date.now() - started} ms)`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      failures.push(`${testCase.name}: ${message}`);
      log(`  ✗ ${testCase.name} (${Date.now() - started} ms)\n${indent(message)}`);
    }
  }
  log(`${cases.length - failures.length} passed, ${failures.length} failed`);
  if (failures.length) throw new Error(`${failures.length} of ${cases.length} mlexp test(s) failed:\n${failures.map(indent).join("\n")}`);
}

/** Polls until `check` returns a value other than undefined/false, or fails saying what was awaited. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `      ${line}`)
    .join("\n");
}
