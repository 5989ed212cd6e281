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
  { in: "src/core/git/snapshotWorker.ts", out: "snapshotWorker" },
  // The object store's chunk threads (started from any of the bundles above, found next to them).
  { in: "src/core/objects/chunkWorker.ts", out: "chunkWorker" },
  { in: "src/extension/extension.ts", out: "extension" },
  { in: "src/server/server.ts", out: "server" },
];

const browserEntries = [
  { in: "webview/compare/main.ts", out: "webview/compare" },
  // The comparison panel's stylesheet, and the codicon font its buttons' icons use: the panel's CSP
  // loads styles and fonts only from the extension's own files.
  { in: "webview/compare/style.css", out: "webview/compare" },
  { in: "node_modules/@vscode/codicons/dist/codicon.css", out: "webview/codicon" },
  // The run page: its script, and what its stylesheet adds to the comparison panel's (which it loads first).
  { in: "webview/run/main.ts", out: "webview/run" },
  { in: "webview/run/style.css", out: "webview/run" },
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
    // jsonc-parser's `main` is a UMD build whose inner requires esbuild cannot follow; its ES module build bundles.
    alias: { "jsonc-parser": "jsonc-parser/lib/esm/main.js" },
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

/**
 * What every mlexp workspace gets in `.mlexp/types/` (see src/core/workspace/workspaceTypes.ts):
 * mlexp's declarations as `node_modules/mlexp`, and Node's (`@types/node` with `undici-types`,
 * which it imports), so that `import … from "mlexp"` and `node:fs` type-check in a workspace that
 * installed neither. Emitted with the TypeScript compiler only when src/core or src/shared changed (it takes
 * seconds); `stamp` is a hash of the whole tree, by which workspaces tell that theirs is stale.
 */
function buildWorkspaceTypes() {
  const out = path.join(dist, "workspace-types");
  const stampFile = path.join(out, "stamp");
  const sources = ["src/core", "src/shared"].flatMap((dir) => listFiles(path.join(root, dir))).filter((file) => file.endsWith(".ts"));
  const newestSource = Math.max(...sources.map((file) => fs.statSync(file).mtimeMs), fs.statSync(path.join(root, "esbuild.js")).mtimeMs);
  if (fs.existsSync(stampFile) && fs.statSync(stampFile).mtimeMs >= newestSource) return;
  const ts = require("typescript");
  fs.rmSync(out, { recursive: true, force: true });
  const mlexpDir = path.join(out, "node_modules", "mlexp");
  const program = ts.createProgram([path.join(root, "src/core/index.ts")], {
    declaration: true,
    emitDeclarationOnly: true,
    // The library (src/core) uses pure helpers of src/shared: both are emitted, under core/ and shared/.
    outDir: mlexpDir,
    rootDir: path.join(root, "src"),
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    skipLibCheck: true,
    resolveJsonModule: true,
    esModuleInterop: true,
    types: ["node"],
    lib: ["lib.es2022.d.ts"],
  });
  const emitted = program.emit();
  if (emitted.emitSkipped) {
    const messages = emitted.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    throw new Error(`could not emit mlexp's declarations:\n  ${messages.join("\n  ")}`);
  }
  // Node's types come along: a workspace with its own @types/node finds that one first.
  fs.writeFileSync(path.join(mlexpDir, "index.d.ts"), '/// <reference types="node" />\nexport * from "./core/index";\n');
  const { version } = require("./package.json");
  fs.writeFileSync(path.join(mlexpDir, "package.json"), `${JSON.stringify({ name: "mlexp", version, types: "index.d.ts" }, null, 2)}\n`);
  const nodeTypes = path.dirname(require.resolve("@types/node/package.json"));
  const undiciTypes = path.dirname(require.resolve("undici-types/package.json", { paths: [nodeTypes] }));
  copyTree(nodeTypes, path.join(out, "node_modules", "@types", "node"));
  copyTree(undiciTypes, path.join(out, "node_modules", "undici-types"));
  const hash = require("node:crypto").createHash("sha256");
  for (const file of listFiles(out).sort()) hash.update(path.relative(out, file)).update("\0").update(fs.readFileSync(file));
  fs.writeFileSync(stampFile, `${version} ${hash.digest("hex").slice(0, 16)}\n`);
}

function listFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/** Copies the declaration files of a types package (and its package.json and licence). */
function copyTree(from, to) {
  for (const file of listFiles(from)) {
    const relative = path.relative(from, file);
    if (!/(\.d\.ts|package\.json|LICENSE)$/.test(relative) || relative.split(path.sep).includes("node_modules")) continue;
    fs.mkdirSync(path.dirname(path.join(to, relative)), { recursive: true });
    fs.copyFileSync(file, path.join(to, relative));
  }
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
  buildWorkspaceTypes();
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
