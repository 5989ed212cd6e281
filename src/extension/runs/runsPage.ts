import type { ModelRun } from "../../core/store/runRecord";
import type { RunRepository } from "./runRepository";

/** How many of the newest runs the Runs view reads and shows at first, and how many more "Load more…" adds. */
export const RUNS_PAGE_SIZE = 100;

/** What the Runs view shows: the newest runs (with live status), how many runs there are, how many of all run. */
export interface RunsPage {
  runs: ModelRun[];
  total: number;
  running: number;
}

export const EMPTY_PAGE: RunsPage = { runs: [], total: 0, running: 0 };

/**
 * The Runs view's data path, free of VS Code: which page of runs it reads. A refresh reads only
 * the newest `shown` runs and two counts, never every run; "Load more…" makes the page longer
 * (like `mlexp runs --limit`). Kept apart from the tree provider so that `npm run bench -- store`
 * measures exactly what the view does on a refresh.
 */
export class RunsPageLoader {
  private limit: number;

  constructor(
    private readonly repository: () => RunRepository | undefined,
    private readonly pageSize = RUNS_PAGE_SIZE,
  ) {
    this.limit = pageSize;
  }

  /** How many runs a refresh reads. */
  get shown(): number {
    return this.limit;
  }

  async load(): Promise<RunsPage> {
    return (await this.repository()?.page(this.limit)) ?? EMPTY_PAGE;
  }

  /** The next refresh reads one page more. */
  showMore(): void {
    this.limit += this.pageSize;
  }
}
