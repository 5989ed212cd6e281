import ignore, { type Ignore } from "ignore";

/**
 * One `.gitignore` file's patterns, matched as git matches them by the `ignore` package (the
 * matcher eslint and prettier use): comments, `!` negation, a trailing `/` for folders only,
 * anchoring, `*`, `?`, `[a-z]` and `**`, the last matching pattern winning.
 */
export type IgnoreRule = Ignore;

export function parseGitignore(text: string): IgnoreRule {
  return ignore({ allowRelativePaths: true }).add(text);
}

/**
 * Whether `relativePath` (posix, relative to the folder of the rules) is ignored by these rules:
 * true or false when a rule matches, undefined when none does and outer rules decide.
 */
export function matchRules(rules: IgnoreRule, relativePath: string, isDir: boolean): boolean | undefined {
  if (!relativePath || relativePath.startsWith("../")) return undefined;
  const { ignored, unignored } = rules.test(isDir ? `${relativePath}/` : relativePath);
  return ignored ? true : unignored ? false : undefined;
}
