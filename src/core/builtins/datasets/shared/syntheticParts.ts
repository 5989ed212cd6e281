import type { Column } from "../../../data/dataset";
import type { Rng } from "../../../util/random";
import { sharedFloat64 } from "./sharedColumn";

/** The Synthetic parameters once defaults are settled. */
export interface SyntheticShape {
  readonly task: "classification" | "regression";
  readonly rows: number;
  readonly features: number;
  readonly informative: number;
  readonly classes: number;
  readonly noise: number;
  readonly categorical: number;
  readonly stringLabels: boolean;
}

/** Each feature's own scale and offset, so that features are not all on the same footing. */
export interface FeatureLayout {
  readonly scales: Float64Array;
  readonly offsets: Float64Array;
}

/**
 * Standard normal values, both halves of each Box–Muller pair used: generating a million-row
 * dataset is mostly drawing normals, and `Rng.normal` throws half of each pair away.
 */
export class Gaussian {
  private spare = NaN;

  constructor(private readonly rng: Rng) {}

  next(): number {
    if (!Number.isNaN(this.spare)) {
      const value = this.spare;
      this.spare = NaN;
      return value;
    }
    let u = 0;
    while (u === 0) u = this.rng.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * this.rng.next();
    this.spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }
}

export function featureLayout(shape: SyntheticShape, design: Rng): FeatureLayout {
  const scales = new Float64Array(shape.features);
  const offsets = new Float64Array(shape.features);
  for (let j = 0; j < shape.features; j++) {
    scales[j] = 2 ** (design.next() * 2 - 1);
    offsets[j] = design.normal() * 2;
  }
  return { scales, offsets };
}

export function drawLabels(shape: SyntheticShape, sampler: Rng): Uint32Array {
  const labels = new Uint32Array(shape.rows);
  for (let i = 0; i < shape.rows; i++) labels[i] = sampler.int(shape.classes);
  return labels;
}

/**
 * One centre per class on a grid over the informative features (the corners of the ±1 cube when
 * there are enough of them, a finer grid otherwise), no two classes sharing one: neighbouring
 * classes are always at least one grid step apart, whatever the seed.
 */
export function classCentres(shape: SyntheticShape, design: Rng): Float64Array {
  const { classes, informative } = shape;
  const centres = new Float64Array(classes * informative);
  if (informative === 0) return centres;
  let levels = 2;
  while (levels ** informative < classes) levels++;
  const taken = new Set<string>();
  for (let c = 0; c < classes; c++) {
    let point: number[];
    do point = Array.from({ length: informative }, () => design.int(levels));
    while (taken.has(point.join()));
    taken.add(point.join());
    point.forEach((level, j) => (centres[c * informative + j] = -1 + (2 * level) / (levels - 1)));
  }
  return centres;
}

export function classificationFeatures(
  shape: SyntheticShape,
  layout: FeatureLayout,
  labels: Uint32Array,
  design: Rng,
  sampler: Rng,
): Column[] {
  const centres = classCentres(shape, design);
  const gaussian = new Gaussian(sampler);
  const { rows, informative, noise } = shape;
  return Array.from({ length: shape.features }, (_, j) => {
    const values = sharedFloat64(rows);
    const scale = layout.scales[j];
    const offset = layout.offsets[j];
    for (let i = 0; i < rows; i++) {
      const z = j < informative ? centres[labels[i] * informative + j] + noise * gaussian.next() : gaussian.next();
      values[i] = offset + scale * z;
    }
    return { name: `x${j}`, kind: "number", values } satisfies Column;
  });
}

/** The features and the noiseless linear target built from the informative ones. */
export function regressionTarget(
  shape: SyntheticShape,
  layout: FeatureLayout,
  design: Rng,
  sampler: Rng,
): { features: Column[]; target: Float64Array } {
  const gaussian = new Gaussian(sampler);
  const target = sharedFloat64(shape.rows).fill(design.normal() * 5);
  const features = Array.from({ length: shape.features }, (_, j) => {
    const weight = j < shape.informative ? (design.next() < 0.5 ? -1 : 1) * (1 + 2 * design.next()) : 0;
    const values = sharedFloat64(shape.rows);
    for (let i = 0; i < shape.rows; i++) {
      const z = gaussian.next();
      values[i] = layout.offsets[j] + layout.scales[j] * z;
      target[i] += weight * z;
    }
    return { name: `x${j}`, kind: "number", values } satisfies Column;
  });
  return { features, target };
}

export function addNoise(values: Float64Array, noise: number, sampler: Rng): void {
  if (noise === 0) return;
  const gaussian = new Gaussian(sampler);
  for (let i = 0; i < values.length; i++) values[i] += noise * gaussian.next();
}

/** What the informative text columns follow: the class labels, or a regression target they shift. */
export interface CategoricalLink {
  readonly labels?: Uint32Array;
  readonly target?: Float64Array;
}

/**
 * Text columns c0, c1, … with 3 to 6 values "a", "b", …. The first half are informative: half of
 * the time a row takes its class's favourite value, or each value shifts the regression target.
 */
export function categoricalColumns(shape: SyntheticShape, design: Rng, sampler: Rng, link: CategoricalLink): Column[] {
  const informativeCount = Math.ceil(shape.categorical / 2);
  return Array.from({ length: shape.categorical }, (_, k) => {
    const levels = 3 + design.int(4);
    const names = Array.from({ length: levels }, (_, level) => labelName(level));
    const draw = levelDrawer(k < informativeCount, levels, shape, design, sampler, link);
    const values = new Array<string>(shape.rows);
    for (let i = 0; i < shape.rows; i++) values[i] = names[draw(i)];
    return { name: `c${k}`, kind: "string", values } satisfies Column;
  });
}

function levelDrawer(
  informative: boolean,
  levels: number,
  shape: SyntheticShape,
  design: Rng,
  sampler: Rng,
  link: CategoricalLink,
): (row: number) => number {
  const { labels, target } = link;
  if (informative && labels) {
    const favourite = Array.from({ length: shape.classes }, () => design.int(levels));
    return (row) => (sampler.next() < 0.5 ? favourite[labels[row]] : sampler.int(levels));
  }
  if (informative && target) {
    const effects = Array.from({ length: levels }, () => design.normal() * 2);
    return (row) => {
      const level = sampler.int(levels);
      target[row] += effects[level];
      return level;
    };
  }
  return () => sampler.int(levels);
}

/** "a" … "z", "aa", "ab", … (bijective base 26), for class labels and text values. */
export function labelName(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(97 + ((n - 1) % 26)) + name;
  return name;
}
