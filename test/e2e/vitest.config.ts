import { resolve } from "node:path";
import type { ViteUserConfig } from "vitest/config" with { "resolution-mode": "import" };

// End-to-end tests drive a real VS Code (code-server) in Chromium: slow, heavy, one at a time.
// Run `bash test/e2e/harness/install.sh` once first.
//
// A plain object rather than defineConfig(): this package is CommonJS for TypeScript, and a value
// import of the ESM-only "vitest/config" fails type checking there (TS1479); a type import does not.
const config: ViteUserConfig = {
  test: {
    root: resolve(__dirname, "..", ".."),
    include: ["test/e2e/**/*.e2e.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // One code-server + one Chromium already keep both cores busy.
    pool: "forks",
    fileParallelism: false,
    maxWorkers: 1,
  },
};

export default config;
