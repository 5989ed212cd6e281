/**
 * Lets at most `limit` trainings run at once; the others wait in order. A waiting caller can give
 * up (its cancellation) without ever taking a slot. The limit can change at any time (a setting).
 */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiting: Array<{ grant: () => void }> = [];

  constructor(private limit: number) {
    this.limit = normaliseLimit(limit);
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  setLimit(limit: number): void {
    this.limit = normaliseLimit(limit);
    this.grantWhilePossible();
  }

  /**
   * Resolves with a release function once a slot is free, or with undefined if `cancelled`
   * settles first. Call release exactly once (extra calls are ignored).
   */
  acquire(cancelled?: Promise<unknown>): Promise<(() => void) | undefined> {
    return new Promise((resolve) => {
      const entry = { grant: () => resolve(this.releaser()) };
      this.waiting.push(entry);
      this.grantWhilePossible();
      void cancelled?.then(() => {
        const index = this.waiting.indexOf(entry);
        if (index < 0) return; // already granted: the caller releases it
        this.waiting.splice(index, 1);
        resolve(undefined);
      });
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      this.grantWhilePossible();
    };
  }

  private grantWhilePossible(): void {
    while (this.running < this.limit && this.waiting.length) {
      const next = this.waiting.shift();
      this.running++;
      next?.grant();
    }
  }
}

function normaliseLimit(limit: number): number {
  return Number.isFinite(limit) && limit >= 1 ? Math.floor(limit) : 1;
}
