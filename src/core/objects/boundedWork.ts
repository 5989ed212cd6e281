/**
 * Runs async work `limit` at a time: `add` waits while the limit is reached. `finish` waits for
 * everything (none is left writing in the background) and fails with the first failure.
 */
export class BoundedWork {
  private readonly running = new Set<Promise<void>>();
  private total = 0;
  private error: unknown;
  failed = false;

  constructor(private readonly limit: number) {}

  async add(work: () => Promise<number>): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running);
    const task: Promise<void> = work().then(
      (n) => {
        this.total += n;
        this.running.delete(task);
      },
      (error: unknown) => {
        if (!this.failed) this.error = error;
        this.failed = true;
        this.running.delete(task);
      },
    );
    this.running.add(task);
  }

  /** The bytes written by all the work added so far, once it has ended. */
  async finish(): Promise<number> {
    await Promise.all(this.running);
    if (this.failed) throw this.error;
    return this.total;
  }
}
