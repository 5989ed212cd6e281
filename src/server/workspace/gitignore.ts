/**
 * `.gitignore` patterns, as git reads them: comments, `!` negation, a trailing `/` for directories
 * only, a `/` at the start or in the middle anchoring the pattern to the file's folder, `*`, `?`,
 * `[a-z]` and `**`. The last matching pattern wins. Written here rather than taken from a package
 * because the server bundles everything it runs and this is all it needs.
 */
export interface IgnoreRule {
  readonly negate: boolean;
  readonly dirOnly: boolean;
  readonly regex: RegExp;
}

export function parseGitignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const rule = parseLine(raw);
    if (rule) rules.push(rule);
  }
  return rules;
}

function parseLine(raw: string): IgnoreRule | undefined {
  // Trailing spaces are ignored unless escaped with a backslash.
  let line = raw.replace(/(?<!\\)\s+$/, "");
  if (!line || line.startsWith("#")) return undefined;
  const negate = line.startsWith("!");
  if (negate) line = line.slice(1);
  if (line.startsWith("\\#") || line.startsWith("\\!")) line = line.slice(1);
  const dirOnly = line.endsWith("/");
  if (dirOnly) line = line.slice(0, -1);
  if (!line) return undefined;
  const anchored = line.includes("/");
  if (line.startsWith("/")) line = line.slice(1);
  const body = globToRegex(line);
  return { negate, dirOnly, regex: new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`) };
}

function globToRegex(glob: string): string {
  let out = "";
  let i = 0;
  while (i < glob.length) {
    const [piece, length] = translate(glob, i);
    out += piece;
    i += length;
  }
  return out;
}

/** The regex for the glob token at `i`, and how many characters it took. */
function translate(glob: string, i: number): [string, number] {
  const char = glob[i];
  if (char === "*") {
    if (glob[i + 1] !== "*") return ["[^/]*", 1];
    // `**/` is any number of folders (none included); `**` elsewhere is anything.
    return glob[i + 2] === "/" ? ["(?:.*/)?", 3] : [".*", 2];
  }
  if (char === "?") return ["[^/]", 1];
  if (char === "\\" && i + 1 < glob.length) return [escapeRegex(glob[i + 1]), 2];
  if (char === "[") {
    const close = glob.indexOf("]", i + 2);
    if (close > 0) {
      const inner = glob.slice(i + 1, close).replace(/^!/, "^").replace(/\\/g, "\\\\");
      return [`[${inner}]`, close - i + 1];
    }
  }
  return [escapeRegex(char), 1];
}

function escapeRegex(char: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(char) ? `\\${char}` : char;
}

/**
 * Whether `relativePath` (posix, relative to the folder of the rules) is ignored by these rules:
 * true or false when a rule matches, undefined when none does and outer rules decide.
 */
export function matchRules(rules: readonly IgnoreRule[], relativePath: string, isDir: boolean): boolean | undefined {
  let result: boolean | undefined;
  for (const rule of rules) {
    if (rule.dirOnly && !isDir) continue;
    if (rule.regex.test(relativePath)) result = !rule.negate;
  }
  return result;
}
