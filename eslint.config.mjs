// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "**/.mlexp/**", "test-results/**", "coverage/**", ".vscode-test/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: "readonly", process: "readonly", require: "readonly", __dirname: "readonly", module: "writable", setTimeout: "readonly", clearTimeout: "readonly" } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": "off",
      eqeqeq: ["error", "always", { null: "ignore" }],
      complexity: ["warn", 15],
    },
  },
  {
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "vscode", message: "src/core is the library: it never imports vscode." }] }],
      "no-restricted-properties": ["error", { object: "Math", property: "random", message: "Use the seeded Rng from src/core/util/random.ts: training must be deterministic." }],
    },
  },
  {
    // Pure helpers shared by the webview, the extension, the language server and the library:
    // they run in a browser too, so nothing from Node, VS Code or the library's modules.
    files: ["src/shared/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "vscode", message: "src/shared runs in the webview too: no vscode." }],
          patterns: [
            { group: ["node:*", "fs", "path", "os", "child_process", "crypto", "worker_threads"], message: "src/shared runs in the webview too: no Node modules." },
            { group: ["**/core/**", "**/extension/**", "**/server/**", "**/worker/**", "**/cli/**"], message: "src/shared stands alone: it imports nothing from the library or the processes." },
          ],
        },
      ],
    },
  },
  {
    files: ["esbuild.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
