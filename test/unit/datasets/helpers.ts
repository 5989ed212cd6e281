import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll } from "vitest";
import type { LoadContext } from "../../../src/core/components/dataAccessObject";
import { MlexpError } from "../../../src/core/util/errors";

/** A real folder in the OS temp dir standing in for the user's workspace. */
export interface TempWorkspace {
  readonly dir: string;
  readonly context: LoadContext;
  /** Writes a file (text or bytes) under the workspace and returns its absolute path. */
  write(name: string, content: string | Uint8Array): string;
}

const created: string[] = [];
// Registered while the importing test file is collected, so it runs after that file's tests.
afterAll(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempWorkspace(options: { seed?: number; signal?: AbortSignal } = {}): TempWorkspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-data-"));
  created.push(dir);
  return {
    dir,
    context: {
      workspace: dir,
      seed: options.seed ?? 0,
      signal: options.signal,
      resolvePath: (given: string) => path.resolve(dir, given),
    },
    write(name, content) {
      const file = path.join(dir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
      return file;
    },
  };
}

/** The MlexpError thrown by `action` (sync or async); fails the test if it throws nothing or something else. */
export async function errorOf(action: () => unknown): Promise<MlexpError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof MlexpError) return error;
    throw new Error(`Expected an MlexpError, got: ${String(error)}`, { cause: error });
  }
  throw new Error("Expected an MlexpError, but nothing was thrown.");
}

/** A column's values as a plain array (NaN for missing numbers), for readable assertions. */
export function valuesOf(column: { values: ArrayLike<unknown> }): unknown[] {
  return Array.from(column.values);
}
