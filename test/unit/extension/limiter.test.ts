import { describe, expect, it } from "vitest";
import { ConcurrencyLimiter } from "../../../src/extension/training/limiter";

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe("ConcurrencyLimiter", () => {
  it("grants up to the limit at once and queues the rest in order", async () => {
    const limiter = new ConcurrencyLimiter(2);
    const order: string[] = [];
    const a = limiter.acquire().then((release) => (order.push("a"), release));
    const b = limiter.acquire().then((release) => (order.push("b"), release));
    const c = limiter.acquire().then((release) => (order.push("c"), release));
    await flush();
    expect(order).toEqual(["a", "b"]);
    expect(limiter.active).toBe(2);
    expect(limiter.queued).toBe(1);
    (await a)?.();
    await flush();
    expect(order).toEqual(["a", "b", "c"]);
    (await b)?.();
    (await c)?.();
    expect(limiter.active).toBe(0);
  });

  it("ignores a second release of the same slot", async () => {
    const limiter = new ConcurrencyLimiter(1);
    const release = await limiter.acquire();
    release?.();
    release?.();
    expect(limiter.active).toBe(0);
    const again = await limiter.acquire();
    expect(limiter.active).toBe(1);
    again?.();
  });

  it("lets a waiting caller give up without taking a slot", async () => {
    const limiter = new ConcurrencyLimiter(1);
    const first = await limiter.acquire();
    let giveUp: () => void = () => undefined;
    const waiting = limiter.acquire(new Promise<void>((resolve) => (giveUp = resolve)));
    giveUp();
    expect(await waiting).toBeUndefined();
    expect(limiter.queued).toBe(0);
    first?.();
    expect(limiter.active).toBe(0);
  });

  it("starts waiting callers when the limit is raised, and treats nonsense limits as 1", async () => {
    const limiter = new ConcurrencyLimiter(0);
    const first = await limiter.acquire();
    const second = limiter.acquire();
    await flush();
    expect(limiter.queued).toBe(1);
    limiter.setLimit(3);
    expect(await second).toBeTypeOf("function");
    expect(limiter.active).toBe(2);
    first?.();
    limiter.setLimit(Number.NaN);
    expect(limiter.active).toBe(1);
  });
});
