/**
 * How a linear classifier's parameters sit in one flat Float64Array (so that Adam can update them
 * in a single loop): `outputs` rows of `cols` weights, row-major, then `outputs` intercepts. A
 * binary model has one output (the logit of class 1); a k-class model has k (softmax logits).
 */
export interface LinearLayout {
  readonly cols: number;
  readonly classes: number;
  readonly outputs: number;
}

export function linearLayout(cols: number, classes: number): LinearLayout {
  return { cols, classes, outputs: classes === 2 ? 1 : classes };
}

export function parameterCount(layout: LinearLayout): number {
  return layout.outputs * (layout.cols + 1);
}

export function interceptOffset(layout: LinearLayout): number {
  return layout.outputs * layout.cols;
}

/** Weights as nested rows (one per output) and intercepts, for saving and inspection. */
export interface LinearCoefficients {
  weights: number[][];
  intercepts: number[];
}
