import { gitRaw } from "../../git/git";
import type { ModelRun } from "../../store/runRecord";
import { isPlainObject } from "../../util/json";
import type { ComponentChange, ComponentRole, FileChange } from "../types";

/** What a run recorded about a component (`details.components`), or what its row says. */
interface ComponentRecord {
  name: string;
  className: string;
  builtin: boolean | null;
}

const ROLES: { role: ComponentRole; field: "model_class" | "feature_generator_class" | "dataset_class" }[] = [
  { role: "model", field: "model_class" },
  { role: "featureGenerator", field: "feature_generator_class" },
  { role: "dataAccessObject", field: "dataset_class" },
];

const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Which of the runs' components (model, feature generator, data access object) had their source
 * changed: the file that declares each class is looked up in the two snapshot commits, among the
 * changed files only (`git grep` on those paths in each commit), so a large repository costs little.
 */
export async function componentChanges(top: string, a: ModelRun, b: ModelRun, commits: { a: string; b: string }, files: FileChange[]): Promise<ComponentChange[]> {
  const records = ROLES.map(({ role, field }) => ({ role, a: componentOf(a, role, a[field]), b: componentOf(b, role, b[field]) }));
  const classNames = [...new Set(records.flatMap((r) => [r.a.className, r.b.className]).filter((name) => IDENTIFIER.test(name)))];
  const sources = files.filter((file) => SOURCE_FILE.test(file.path) || SOURCE_FILE.test(file.oldPath ?? ""));
  const paths = [...new Set(sources.flatMap((f) => (f.oldPath ? [f.oldPath, f.path] : [f.path])))];
  const found = await declaringFiles(top, [commits.a, commits.b], classNames, paths);
  const inA = found.get(commits.a) ?? new Map<string, string>();
  const inB = found.get(commits.b) ?? new Map<string, string>();
  return records.map(({ role, a: ra, b: rb }): ComponentChange => {
    if (ra.name !== rb.name) return { role, a: ra.name, b: rb.name, status: "replaced" };
    const file = inB.get(rb.className) ?? inA.get(ra.className);
    if (file) return { role, a: ra.name, b: rb.name, status: "changed", file };
    return { role, a: ra.name, b: rb.name, status: ra.builtin && rb.builtin ? "builtin" : "same" };
  });
}

/** The same components, when both runs have the very same code. */
export function unchangedComponents(a: ModelRun, b: ModelRun): ComponentChange[] {
  return ROLES.map(({ role, field }) => {
    const ra = componentOf(a, role, a[field]);
    const rb = componentOf(b, role, b[field]);
    if (ra.name !== rb.name) return { role, a: ra.name, b: rb.name, status: "replaced" };
    return { role, a: ra.name, b: rb.name, status: ra.builtin && rb.builtin ? "builtin" : "same" };
  });
}

function componentOf(run: ModelRun, role: ComponentRole, name: string): ComponentRecord {
  const recorded = isPlainObject(run.details?.components) ? run.details.components[role] : undefined;
  if (isPlainObject(recorded) && typeof recorded.className === "string") {
    return { name, className: recorded.className, builtin: recorded.builtin === true };
  }
  // Older runs did not record the class: a component is usually registered under its class's name.
  return { name, className: name, builtin: null };
}

/**
 * commit → class name → the first of `paths` that declares `class <name>` there: one `git grep`
 * over both commits' trees, limited to the changed paths.
 */
async function declaringFiles(top: string, commits: string[], classNames: string[], paths: string[]): Promise<Map<string, Map<string, string>>> {
  const found = new Map<string, Map<string, string>>();
  if (!classNames.length || !paths.length) return found;
  const pattern = `\\bclass[[:space:]]+(${classNames.join("|")})\\b`;
  let output: string;
  try {
    output = await gitRaw(top, ["grep", "-I", "-o", "-E", "-e", pattern, ...commits, "--", ...paths.map((p) => `:(top,literal)${p}`)]);
  } catch {
    return found; // git grep exits 1 when nothing matches
  }
  for (const line of output.split("\n")) {
    // <commit>:<path>:class Name
    const match = /^([0-9a-f]+):(.*):class\s+([\w$]+)$/.exec(line);
    if (!match) continue;
    const inCommit = found.get(match[1]) ?? new Map<string, string>();
    found.set(match[1], inCommit);
    if (!inCommit.has(match[3])) inCommit.set(match[3], match[2]);
  }
  return found;
}
