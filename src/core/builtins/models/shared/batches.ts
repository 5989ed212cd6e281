import { range, type Rng } from "../../../util/random";

/**
 * The order in which an epoch visits the training rows: every row once, reshuffled each epoch by
 * the run's seeded generator. Both logistic regressions use it, so they see identical batches.
 */
export class EpochOrder {
  private readonly order: Uint32Array;

  constructor(
    rows: number,
    private readonly rng: Rng,
  ) {
    this.order = range(rows);
  }

  /** The next epoch's permutation (the same buffer, reshuffled; do not keep it across epochs). */
  next(): Uint32Array {
    shuffleInPlace(this.order, this.rng);
    return this.order;
  }
}

/**
 * Fisher–Yates with one 32-bit draw per element. Rng.shuffle draws a 53-bit float (two 32-bit
 * draws) per element, which made the shuffle a third of a 100k-row logistic-regression epoch; the
 * bias of scaling a 32-bit draw, below n/2³², does not matter for a batch order.
 */
function shuffleInPlace(items: Uint32Array, rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor((rng.nextUint32() * (i + 1)) / 4294967296);
    const swap = items[i];
    items[i] = items[j];
    items[j] = swap;
  }
}

/** [start, end) of each batch of `batchSize` consecutive positions; the last one may be shorter. */
export function* batchBounds(rows: number, batchSize: number): Generator<[number, number]> {
  for (let start = 0; start < rows; start += batchSize) yield [start, Math.min(rows, start + batchSize)];
}
