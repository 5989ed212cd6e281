import { gitRaw } from "../../git/git";
import type { FileChange, FileStatus } from "../types";

/**
 * The files that differ between two commits, with lines added and removed, from one plumbing-level
 * `git diff --raw --numstat` (renames detected). Commits are checked by the caller.
 */
export async function changedFiles(top: string, commitA: string, commitB: string): Promise<FileChange[]> {
  const output = await gitRaw(top, ["diff", "--no-color", "--no-ext-diff", "-M", "-z", "--raw", "--numstat", commitA, commitB]);
  const { raw, numstat } = splitRawAndNumstat(output);
  const lines = parseNumstat(numstat);
  return parseNameStatus(raw).map((change) => {
    const counts = lines.get(change.path);
    return { ...change, added: counts?.added ?? null, removed: counts?.removed ?? null };
  });
}

/**
 * `--raw -z` entries (`:100644 100644 <sha> <sha> M\0path\0`) come first, then the numstat ones:
 * the raw part is turned into name-status form (`M\0path\0`) for one parser.
 */
function splitRawAndNumstat(output: string): { raw: string; numstat: string } {
  const fields = output.split("\0");
  const raw: string[] = [];
  let i = 0;
  while (i < fields.length && fields[i].startsWith(":")) {
    const code = fields[i].split(" ").at(-1) ?? "M";
    const paths = code.startsWith("R") || code.startsWith("C") ? 2 : 1;
    raw.push(code, ...fields.slice(i + 1, i + 1 + paths));
    i += 1 + paths;
  }
  return { raw: raw.length ? `${raw.join("\0")}\0` : "", numstat: fields.slice(i).join("\0") };
}

type Entry = Omit<FileChange, "added" | "removed">;

/** `--name-status -z`: `M\0path\0`, `R096\0old\0new\0`, `A\0…`, `D\0…`, `T\0…`. */
export function parseNameStatus(output: string): Entry[] {
  const fields = output.split("\0");
  const entries: Entry[] = [];
  for (let i = 0; i + 1 < fields.length; ) {
    const code = fields[i];
    if (!code) break;
    if (code.startsWith("R") || code.startsWith("C")) {
      entries.push({ status: code.startsWith("R") ? "renamed" : "added", oldPath: fields[i + 1], path: fields[i + 2] });
      i += 3;
    } else {
      entries.push({ status: STATUS[code[0]] ?? "modified", path: fields[i + 1] });
      i += 2;
    }
  }
  return entries;
}

const STATUS: Record<string, FileStatus> = { A: "added", D: "removed", M: "modified", T: "modified" };

/** `--numstat -z`: `12\t3\tpath\0`, or `12\t3\t\0old\0new\0` for a rename; `-\t-` for binary files. */
export function parseNumstat(output: string): Map<string, { added: number | null; removed: number | null }> {
  const fields = output.split("\0");
  const counts = new Map<string, { added: number | null; removed: number | null }>();
  for (let i = 0; i < fields.length; i++) {
    const match = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(fields[i]);
    if (!match) continue;
    let file = match[3];
    if (file === "") {
      file = fields[i + 2];
      i += 2;
    }
    counts.set(file, { added: match[1] === "-" ? null : Number(match[1]), removed: match[2] === "-" ? null : Number(match[2]) });
  }
  return counts;
}
