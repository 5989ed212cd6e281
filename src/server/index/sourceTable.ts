import type { SourceFacts } from "../parse/facts";
import type { ModuleCache } from "./symbols";
import { mayHoldFacts, parseSource } from "../parse/parseSource";

export interface SourceEntry {
  readonly path: string;
  readonly text: string;
  /** Whether the file can hold components, registrations or lookups (see `mayHoldFacts`). */
  readonly relevant: boolean;
  facts?: SourceFacts;
  /** Offsets where lines start, computed when a position is first needed. */
  lineStarts?: number[];
}

/**
 * The text of every indexed file and its facts, parsed at most once per version of the text. An
 * edit replaces one entry; nothing else is re-parsed.
 */
export class SourceTable {
  private readonly entries = new Map<string, SourceEntry>();
  private parsed = 0;
  private relevant?: string[];
  /** See `ModuleCache`: valid while no file is created or deleted. */
  readonly modules: ModuleCache = new Map();

  /** Sets a file's text; false when it is unchanged (a save or a watcher echo of an edit). */
  set(path: string, text: string): boolean {
    const previous = this.entries.get(path);
    if (previous && previous.text === text) return false;
    if (previous?.facts) this.parsed--;
    const relevant = mayHoldFacts(text);
    if (!previous) this.modules.clear();
    if (!previous || previous.relevant !== relevant) this.relevant = undefined;
    this.entries.set(path, { path, text, relevant });
    return true;
  }

  delete(path: string): boolean {
    const previous = this.entries.get(path);
    if (!previous) return false;
    if (previous.facts) this.parsed--;
    this.modules.clear();
    this.relevant = undefined;
    return this.entries.delete(path);
  }

  get(path: string): SourceEntry | undefined {
    return this.entries.get(path);
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  paths(): string[] {
    return [...this.entries.keys()];
  }

  /** Paths of the files that may hold facts, sorted. */
  relevantPaths(): readonly string[] {
    this.relevant ??= [...this.entries.values()].filter((entry) => entry.relevant).map((entry) => entry.path).sort();
    return this.relevant;
  }

  get size(): number {
    return this.entries.size;
  }

  get parsedCount(): number {
    return this.parsed;
  }

  /** A file's facts, parsing it on first use. */
  factsOf(path: string): SourceFacts | undefined {
    const entry = this.entries.get(path);
    if (!entry) return undefined;
    if (!entry.facts) {
      entry.facts = parseSource(path, entry.text);
      this.parsed++;
    }
    return entry.facts;
  }
}
