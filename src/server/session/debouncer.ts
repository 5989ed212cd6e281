/**
 * Runs a task once a burst of changes has settled, or at once when a request needs fresh results
 * (`flush`), so typing re-links once per pause rather than once per key.
 */
export class Debouncer {
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly delayMs: number,
    private readonly task: () => void,
  ) {}

  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.delayMs);
  }

  /** Runs the task now if one is pending. */
  flush(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.task();
  }

  get pending(): boolean {
    return this.timer !== undefined;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
