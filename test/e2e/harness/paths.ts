import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** What install.sh wrote to `<cache>/install.json`; the single source of truth for versions. */
export interface E2eInstall {
  nodeVersion: string;
  node: string;
  codeServerVersion: string;
  codeServerEntry: string;
  chromium: string;
}

/** Same rule as install.sh, so both always agree on where the cache is. */
export function e2eCacheDir(): string {
  return process.env.MLEXP_E2E_CACHE ?? join(homedir(), ".cache", "mlexp-e2e");
}

const INSTALL_HINT = "run `bash test/e2e/harness/install.sh` first (it needs no apt-get if chromium and libkrb5-dev are present)";

export function readE2eInstall(): E2eInstall {
  const file = join(e2eCacheDir(), "install.json");
  if (!existsSync(file)) {
    throw new Error(`e2e harness is not installed: ${file} does not exist; ${INSTALL_HINT}`);
  }
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
  const install = asE2eInstall(parsed, file);
  for (const path of [install.node, install.codeServerEntry, install.chromium]) {
    if (!existsSync(path)) {
      throw new Error(`e2e harness install is incomplete: ${path} (listed in ${file}) is missing; ${INSTALL_HINT}`);
    }
  }
  return install;
}

function asE2eInstall(value: unknown, file: string): E2eInstall {
  const keys = ["nodeVersion", "node", "codeServerVersion", "codeServerEntry", "chromium"] as const;
  if (typeof value !== "object" || value === null) {
    throw new Error(`${file} is not a JSON object; ${INSTALL_HINT}`);
  }
  const record = value as Record<string, unknown>;
  for (const key of keys) {
    if (typeof record[key] !== "string") {
      throw new Error(`${file} lacks string field "${key}"; ${INSTALL_HINT}`);
    }
  }
  return record as unknown as E2eInstall;
}
