import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

// What both real-VS Code suites check, as data: the Playwright suite (test/e2e, code-server) drives
// it through the UI, the @vscode/test-electron suite (test/vscode) through commands and the
// extension's API. One fixture workspace for both.

export const REPO_ROOT = resolve(__dirname, "..", "..", "..");

/** The .vsix `npm run package` builds for this platform. */
export function vsixPath(): string {
  const { name, version } = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { name: string; version: string };
  return join(REPO_ROOT, `${name}-${version}-${process.platform}-${process.arch}.vsix`);
}

/**
 * A .vsix older than the sources would test yesterday's extension: refuse it. `npm run test:e2e`
 * packages right before the tests and sets MLEXP_E2E_FRESH_VSIX, so that sources edited while the
 * suite runs (other people work in this repository too) do not fail it. Returns the path.
 */
export function requireFreshVsix(): string {
  const vsix = vsixPath();
  const hint = "run `npm run package` (npm run test:e2e does it first)";
  if (!existsSync(vsix)) throw new Error(`${vsix} does not exist: ${hint}.`);
  if (process.env.MLEXP_E2E_FRESH_VSIX === "1") return vsix;
  const built = statSync(vsix).mtimeMs;
  const sources = ["src/extension", "src/worker", "src/protocol", "src/core"].flatMap((dir) => listFiles(join(REPO_ROOT, dir)));
  const newer = [join(REPO_ROOT, "package.json"), ...sources].filter((file) => statSync(file).mtimeMs > built);
  if (newer.length) throw new Error(`${vsix} is older than ${newer.slice(0, 3).join(", ")}${newer.length > 3 ? " and more" : ""}: ${hint}.`);
  return vsix;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/** The built CLI; inside a VS Code extension host (the test-electron suite, bundled elsewhere) it comes from MLEXP_CLI. */
export function cliPath(): string {
  return process.env.MLEXP_CLI ?? join(REPO_ROOT, "dist", "cli.js");
}

/** The workspace's own components (examples/quickstart) and some built-ins the Components view must list. */
export const USER_COMPONENTS = { model: "ModelImpl1", featureGenerator: "FeatureGeneratorImpl1", dataset: "DataAccessObjectImpl1" } as const;
export const BUILTIN_COMPONENTS = ["LogisticRegression", "MLPClassifierTfjs", "StandardScaler", "CsvFile", "Synthetic"] as const;

/** A quick training of the user's model (about a second). */
export const QUICK_TRAINING = {
  model: USER_COMPONENTS.model,
  featureGenerator: USER_COMPONENTS.featureGenerator,
  dataset: USER_COMPONENTS.dataset,
} as const;

/** A training that would take hours: it is there to be cancelled. */
export const LONG_TRAINING = {
  model: "MLPClassifierTfjs",
  modelParams: { epochs: 100_000 },
  featureGenerator: "Identity",
  dataset: "Synthetic",
  datasetParams: { rows: 400, features: 4 },
} as const;

/** An out-of-range parameter, and the library's message for it. */
export const INVALID_TRAINING = { ...QUICK_TRAINING, modelParams: { shrinkage: 5 } } as const;
export const INVALID_PARAMS_MESSAGE = 'Invalid parameters for model "ModelImpl1": parameter "shrinkage" must be at most 1, got 5.';

/** `mlexp train` from a terminal, in the same workspace, on a built-in model. */
export const CLI_TRAINING_ARGS = ["train", "--model", "LogisticRegression", "--dataset", "CsvFile", "--dataset-params", '{"path": "data/customers.csv", "target": "churned"}'];

/**
 * The fixture: a git repository holding the quickstart example (an mlexp.config.ts registering a
 * user model, feature generator and data access object, and a small CSV), committed.
 */
export function writeFixtureWorkspace(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const example = join(REPO_ROOT, "examples", "quickstart");
  cpSync(example, dir, { recursive: true, filter: (source) => !source.includes(".mlexp") && !source.endsWith("train.ts") });
  writeFileSync(join(dir, ".gitignore"), "node_modules/\n");
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "fixture");
  return dir;
}

/** Runs git in `dir` as a fixed author (no global git config needed); returns its trimmed output. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, GIT_AUTHOR_NAME: "e2e", GIT_AUTHOR_EMAIL: "e2e@example.com", GIT_COMMITTER_NAME: "e2e", GIT_COMMITTER_EMAIL: "e2e@example.com" },
  }).trim();
}

/** Writes a file and commits it, as a person working between two trainings would; returns the new commit. */
export function commitFile(dir: string, file: string, text: string, message: string): string {
  writeFileSync(join(dir, file), text);
  git(dir, "add", "--", file);
  git(dir, "commit", "-q", "-m", message);
  return git(dir, "rev-parse", "HEAD");
}

/** What the tests read of a run the CLI printed (`--json`): the full record is `ModelRun`. */
export interface CliRun {
  run_id: string;
  status: string;
  githash: string | null;
  metrics: Record<string, number>;
}

/**
 * The workspace's model trained with different parameters, whose ranking by accuracy differs from
 * their ranking by log_loss (measured on the quickstart data with the default seed):
 * accuracy 0.706 / 0.713 / 0.713, log_loss 0.562 / 0.941 / 0.684.
 */
export const COMPARED_MODEL_PARAMS = [
  { shrinkage: 0, temperature: 1 },
  { shrinkage: 0.5, temperature: 0.2 },
  { shrinkage: 0.9, temperature: 5 },
] as const;

/** `mlexp train` arguments for the workspace's own components with these model parameters. */
export function userModelCliArgs(modelParams: object): string[] {
  const { model, featureGenerator, dataset } = USER_COMPONENTS;
  return ["train", "--model", model, "--features", featureGenerator, "--dataset", dataset, "--model-params", JSON.stringify(modelParams)];
}

/**
 * Runs the built CLI in the workspace, as a terminal would, and returns the run it recorded.
 * `process.execPath` is Node here and Electron in VS Code desktop, where ELECTRON_RUN_AS_NODE makes it Node.
 */
export function trainWithCli(workspace: string, args: readonly string[] = CLI_TRAINING_ARGS): CliRun {
  const stdout = execFileSync(process.execPath, [cliPath(), "--workspace", workspace, "--json", ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
  });
  return JSON.parse(stdout) as CliRun;
}

/** Every run of the workspace as `mlexp runs --json` lists it (read from the store by a fresh process). */
export function listRunsWithCli(workspace: string): CliRun[] {
  const stdout = execFileSync(process.execPath, [cliPath(), "--workspace", workspace, "--json", "runs"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
  });
  return JSON.parse(stdout) as CliRun[];
}

export const RUN_ID = /^\d{8}-\d{6}-[0-9a-f]{8}$/;

/**
 * A file of lookups for the language server: a misspelt model name (an error, with the registered
 * name as quick fix) and an empty one being typed (completion offers the registered names).
 */
export const LOOKUPS_FILE = {
  path: "src/experiment.ts",
  misspelt: "ModelImpl2",
  text: [
    "// Names the language server checks and completes as they are typed.",
    'import { getModel } from "mlexp";',
    "",
    'export const misspelt = getModel("ModelImpl2");',
    'export const typing = getModel("");',
    "",
  ].join("\n"),
} as const;
