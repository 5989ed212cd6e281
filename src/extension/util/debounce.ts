import type { Disposable } from "./emitter";

/**
 * Calls `fn` once, `delayMs` after the last of a burst of triggers (a training writes the database
 * several times a second; a save touches several files). `flush` runs a pending call now.
 */
export class Debouncer implements Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly fn: () => void,
    private readonly delayMs: number,
  ) {}

  trigger(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fn();
    }, this.delayMs);
  }

  get pending(): boolean {
    return this.timer !== undefined;
  }

  flush(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.fn();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
