import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
    globalSetup: ["test/globalSetup.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Integration tests spawn CLI processes and git; two cores are all we have.
    maxWorkers: 2,
  },
});
