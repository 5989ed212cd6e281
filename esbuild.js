// One build script for every entry point: the CLI, the library, the training worker, the VS Code
// extension, the language server and the webview. `--watch` rebuilds on change, `--production`
// minifies and drops source maps, `--package` builds the extension's .vsix with @vscode/vsce
// (whose `vscode:prepublish` script runs the production build first).
const esbuild = require("esbuild");
const fs = require("node:fs");
const path = require("node:path");

const production = process.argv.includes("--production");
const packageVsix = process.argv.includes("--package");
const watch = process.argv.includes("--watch");
const root = __dirname;
const dist = path.join(root, "dist");

/**
 * Node-side bundles. `vscode` is provided by the host; tfjs-node is optional and native. The CLI and
 * the library run where mlexp's dependencies are installed, so they load TensorFlow.js from
 * node_modules only when a tfjs model trains (smaller bundles start faster); the training worker
 * ships inside the .vsix, so it carries its own copy.
 */
const TFJS = ["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm"];
/** The queue of distributed searches (loaded only with --queue); the training process bundles its own. */
const QUEUE = ["bullmq", "ioredis"];
const nodeEntries = [
  { in: "src/cli/main.ts", out: "cli", banner: "#!/usr/bin/env node", external: [...TFJS, ...QUEUE] },
  { in: "src/core/index.ts", out: "index", external: [...TFJS, ...QUEUE] },
  { in: "src/worker/trainingWorker.ts", out: "worker" },
  { in: "src/worker/trialProcess.ts", out: "trial", external: [...TFJS, ...QUEUE] },
  { in: "src/core/objects/objectWorker.ts", out: "objectWorker" },
  { in: "src/extension/extension.ts", out: "extension" },
  { in: "src/server/server.ts", out: "server" },
];

const browserEntries = [
  { in: "webview/compare/main.ts", out: "webview/compare" },
  // The comparison panel's stylesheet, and the codicon font its buttons' icons use: the panel's CSP
  // loads styles and fonts only from the extension's own files.
  { in: "webview/compare/style.css", out: "webview/compare" },
  { in: "node_modules/@vscode/codicons/dist/codicon.css", out: "webview/codicon" },
];

/** `import text from "./file?raw"` gives the file's content as a string (templates, fixtures). */
const rawTextPlugin = {
  name: "raw-text",
  setup(build) {
    build.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: path.resolve(args.resolveDir, args.path.replace(/\?raw$/, "")),
      namespace: "raw-text",
    }));
    build.onLoad({ filter: /.*/, namespace: "raw-text" }, (args) => ({
      contents: fs.readFileSync(args.path, "utf8"),
      loader: "text",
    }));
  },
};

const existing = (entries) => entries.filter((entry) => fs.existsSync(path.join(root, entry.in)));

function nodeOptions(entry) {
  return {
    // The extension's inputs are checked after the build: the extension host must never load TensorFlow.js.
    metafile: entry.out === "extension",
    entryPoints: [{ in: entry.in, out: entry.out }],
    outdir: dist,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    external: ["vscode", "@tensorflow/tfjs-node", "esbuild", ...(entry.external ?? [])],
    banner: entry.banner ? { js: entry.banner } : undefined,
    minify: production,
    sourcemap: production ? false : "linked",
    sourcesContent: false,
    logLevel: "warning",
    plugins: [rawTextPlugin],
    // tfjs probes for optional peers it never needs on Node.
    define: { "process.env.NODE_DEBUG": "undefined" },
  };
}

function browserOptions(entry) {
  return {
    entryPoints: [{ in: entry.in, out: entry.out }],
    outdir: dist,
    bundle: true,
    platform: "browser",
    target: "es2022",
    format: "iife",
    loader: { ".ttf": "file" },
    assetNames: "webview/[name]-[hash]",
    minify: production,
    sourcemap: production ? false : "linked",
    sourcesContent: false,
    logLevel: "warning",
  };
}

/** Files that cannot be bundled: WebAssembly binaries loaded at run time. */
function copyRuntimeAssets() {
  const assets = [
    ["node_modules/sql.js/dist/sql-wasm.wasm", "sql-wasm.wasm"],
    ["node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm", "tfjs/tfjs-backend-wasm.wasm"],
    ["node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm", "tfjs/tfjs-backend-wasm-simd.wasm"],
    ["node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm", "tfjs/tfjs-backend-wasm-threaded-simd.wasm"],
  ];
  for (const [from, to] of assets) {
    const target = path.join(dist, to);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(root, from), target);
  }
}

/**
 * The training process bundles the user's mlexp.config.ts with esbuild at run time, and esbuild is
 * a JS API over a native binary that cannot be bundled: dist/node_modules gets esbuild's API and
 * this platform's binary, where Node's resolution from dist/worker.js finds them in the installed
 * extension (the .vsix is built without node_modules, and for this platform).
 */
function copyEsbuildRuntime() {
  const esbuildPackage = path.dirname(require.resolve("esbuild/package.json"));
  const { version } = require("esbuild/package.json");
  const platformPackage = `@esbuild/${process.platform}-${process.arch}`;
  const platformDir = path.dirname(require.resolve(`${platformPackage}/package.json`, { paths: [esbuildPackage] }));
  const binary = process.platform === "win32" ? "esbuild.exe" : "bin/esbuild";
  const copies = [
    [path.join(esbuildPackage, "package.json"), "node_modules/esbuild/package.json"],
    [path.join(esbuildPackage, "lib", "main.js"), "node_modules/esbuild/lib/main.js"],
    [path.join(esbuildPackage, "LICENSE.md"), "node_modules/esbuild/LICENSE.md"],
    [path.join(platformDir, "package.json"), `node_modules/${platformPackage}/package.json`],
    [path.join(platformDir, binary), `node_modules/${platformPackage}/${binary}`],
  ];
  for (const [from, to] of copies) {
    const target = path.join(dist, to);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (fs.existsSync(target) && fs.statSync(target).size === fs.statSync(from).size && fs.statSync(target).mtimeMs >= fs.statSync(from).mtimeMs) continue;
    fs.copyFileSync(from, target);
    fs.chmodSync(target, fs.statSync(from).mode);
  }
  return version;
}

/** Fails the build if anything of TensorFlow.js (or the built-in models) reached dist/extension.js. */
function checkExtensionBundle(metafile) {
  const inputs = Object.keys(metafile.inputs);
  const forbidden = inputs.filter((input) => /@tensorflow|src\/core\/builtins|src\/core\/tfjs|src\/core\/index\.ts/.test(input));
  if (forbidden.length) {
    throw new Error(`dist/extension.js must not load TensorFlow.js or the built-in models, but it bundles:\n  ${forbidden.slice(0, 10).join("\n  ")}`);
  }
}

/** `npm run package`: dist/ is built by vsce's `vscode:prepublish` (the production build). */
async function packageExtension() {
  const { createVSIX } = require("@vscode/vsce");
  const { name, version } = require("./package.json");
  const target = `${process.platform}-${process.arch}`;
  const packagePath = path.join(root, `${name}-${version}-${target}.vsix`);
  // The README's relative links point into the repository, which has no public URL yet: keep them as they are.
  await createVSIX({ cwd: root, packagePath, target, dependencies: false, allowMissingRepository: true, skipLicense: true, rewriteRelativeLinks: false });
  console.log(`[package] ${packagePath} (${(fs.statSync(packagePath).size / 1024 / 1024).toFixed(1)} MiB)`);
}

async function main() {
  if (packageVsix) return packageExtension();
  const configs = [...existing(nodeEntries).map(nodeOptions), ...existing(browserEntries).map(browserOptions)];
  fs.mkdirSync(dist, { recursive: true });
  copyRuntimeAssets();
  copyEsbuildRuntime();
  if (watch) {
    const contexts = await Promise.all(configs.map((config) => esbuild.context(config)));
    await Promise.all(contexts.map((context) => context.watch()));
    console.log(`[esbuild] watching ${configs.length} entry points`);
    return;
  }
  const results = await Promise.all(configs.map((config) => esbuild.build(config)));
  for (const result of results) if (result.metafile) checkExtensionBundle(result.metafile);
  const cli = path.join(dist, "cli.js");
  if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
