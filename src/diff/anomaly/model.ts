import { FEATURES, type FeatureSpec } from './features.js';

/**
 * The release anomaly model: for each feature, how many normal releases reached each threshold
 * (`edges`), over all training releases and per peer group. Fitted by `fitModel` from feature rows
 * of real consecutive releases (evals/anomaly/train.mjs); shipped as model.json.
 */
export type AnomalyModel = {
  version: 1;
  /** Pseudo-releases of the global distribution mixed into each peer group (shrinkage). */
  smoothing: number;
  /** No single feature adds more than this many bits. */
  maxContribution: number;
  /** Total surprisal (bits) at or above which a release is `unusual`. */
  threshold: number;
  /** The training quantile the threshold was set at. */
  thresholdQuantile: number;
  /** Training totals at quantile q, as [q, bits] pairs ascending: the percentile scale of `score`. */
  scoreQuantiles: [number, number][];
  training: Record<string, number | string>;
  /** Per feature, ascending thresholds; `edges[0]` is 0, where every release is counted. */
  edges: Record<string, number[]>;
  /** Per feature, `[n, c1, c2, …]`: releases with a value, and those with value ≥ edges[k] (k ≥ 1). */
  global: Record<string, number[]>;
  groups: Record<string, { releases: number; counts: Record<string, number[]> }>;
};

/** One training row: a consecutive pair of releases of one package. */
export type FeatureRow = { peer: string; values: Record<string, number> };

export type FitOptions = {
  smoothing?: number;
  maxContribution?: number;
  thresholdQuantile?: number;
  training?: Record<string, number | string>;
};

const TAIL_QUANTILES = [0.5, 0.75, 0.9, 0.95, 0.98, 0.99, 0.995];
const SCORE_QUANTILES = [
  0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.92, 0.94, 0.95, 0.96, 0.97, 0.975, 0.98,
  0.985, 0.99, 0.995, 0.999, 1,
];

/**
 * Fits the model: edges per feature (its fixed thresholds plus quantiles of the positive training
 * values, so the tail has resolution where the data is), counts per edge, globally and per peer
 * group, then the threshold at `thresholdQuantile` of the training rows' own totals.
 * Deterministic: same rows, same model (numbers rounded, keys sorted).
 */
export const fitModel = (rows: readonly FeatureRow[], options: FitOptions = {}): AnomalyModel => {
  const edges: Record<string, number[]> = {};
  for (const feature of FEATURES) edges[feature.name] = fitEdges(feature, rows);
  const global: Record<string, number[]> = {};
  for (const feature of FEATURES) global[feature.name] = tally(feature.name, edges[feature.name]!, rows);
  const byGroup = new Map<string, FeatureRow[]>();
  for (const row of rows) byGroup.set(row.peer, [...(byGroup.get(row.peer) ?? []), row]);
  const groups: AnomalyModel['groups'] = {};
  for (const key of [...byGroup.keys()].sort()) {
    const members = byGroup.get(key)!;
    const counts: Record<string, number[]> = {};
    for (const feature of FEATURES) counts[feature.name] = tally(feature.name, edges[feature.name]!, members);
    groups[key] = { releases: members.length, counts };
  }
  const model: AnomalyModel = {
    version: 1,
    smoothing: options.smoothing ?? 20,
    maxContribution: options.maxContribution ?? 10,
    threshold: 0,
    thresholdQuantile: options.thresholdQuantile ?? 0.98,
    scoreQuantiles: [],
    training: { ...(options.training ?? {}), releasePairs: rows.length },
    edges,
    global,
    groups,
  };
  const totals = rows.map((row) => totalSurprisal(row, model)).sort((a, b) => a - b);
  model.scoreQuantiles = SCORE_QUANTILES.map((q) => [q, round(quantile(totals, q))]);
  model.threshold = round(quantile(totals, model.thresholdQuantile));
  return model;
};

const fitEdges = (feature: FeatureSpec, rows: readonly FeatureRow[]): number[] => {
  if (feature.unit === 'flag' || feature.unit === 'jump') return [...feature.edges];
  const positive = rows
    .map((row) => row.values[feature.name])
    .filter((value): value is number => value !== undefined && value > 0)
    .sort((a, b) => a - b);
  const learned = positive.length < 20 ? [] : TAIL_QUANTILES.map((q) => quantile(positive, q));
  const integral = feature.unit === 'count' && feature.name !== 'threat_score_increase';
  const rounded = learned.map((value) => (integral ? Math.ceil(value) : significant(value)));
  return [...new Set([...feature.edges, ...rounded])].filter((value) => value >= 0).sort((a, b) => a - b);
};

const tally = (name: string, edges: readonly number[], rows: readonly FeatureRow[]): number[] => {
  const counts = new Array<number>(edges.length).fill(0);
  for (const row of rows) {
    const value = row.values[name];
    if (value === undefined) continue;
    counts[0]!++;
    for (let k = 1; k < edges.length; k++) if (value >= edges[k]!) counts[k]!++;
  }
  return counts;
};

/** Per-feature surprisal of one release against its peer group, in bits; absent features are skipped. */
export type Contribution = {
  feature: FeatureSpec;
  value: number;
  /** Share of similar releases with a value at least as large (the reached edge), smoothed. */
  tail: number;
  /** The edge reached: "releases with ≥ edge". */
  edge: number;
  bits: number;
};

/** Releases with a value a feature needs in training before it counts. */
const MIN_TRAINING = 30;

export const contributions = (row: FeatureRow, model: AnomalyModel): Contribution[] => {
  const group = model.groups[row.peer];
  const out: Contribution[] = [];
  for (const feature of FEATURES) {
    const value = row.values[feature.name];
    const edges = model.edges[feature.name];
    const global = model.global[feature.name];
    if (value === undefined || !Number.isFinite(value) || edges === undefined || global === undefined)
      continue;
    let k = 0;
    while (k + 1 < edges.length && value >= edges[k + 1]!) k++;
    if (k === 0) {
      out.push({ feature, value, tail: 1, edge: edges[0] ?? 0, bits: 0 });
      continue;
    }
    const n = global[0] ?? 0;
    // A feature the training data never had values for (no registry document) says nothing.
    if (n < MIN_TRAINING) continue;
    const globalTail = ((global[k] ?? 0) + 0.5) / (n + 1);
    const counts = group?.counts[feature.name];
    const tail =
      counts === undefined
        ? globalTail
        : ((counts[k] ?? 0) + model.smoothing * globalTail) / ((counts[0] ?? 0) + model.smoothing);
    out.push({
      feature,
      value,
      tail,
      edge: edges[k]!,
      bits: Math.min(model.maxContribution, -Math.log2(tail)),
    });
  }
  return out;
};

/**
 * Families whose features move together count once, by their largest contribution: a rewrite
 * changes the files, the size and the file count at once. (The threat family was counted this way
 * in the first fit; see docs/anomaly-model.md for why it no longer is.)
 */
const MAX_FAMILIES = new Set(['volume', 'dependencies', 'release']);

export const combine = (parts: readonly Contribution[]): number => {
  let sum = 0;
  const largest = new Map<string, number>();
  for (const part of parts) {
    if (MAX_FAMILIES.has(part.feature.family))
      largest.set(part.feature.family, Math.max(largest.get(part.feature.family) ?? 0, part.bits));
    else sum += part.bits;
  }
  for (const bits of largest.values()) sum += bits;
  return sum;
};

export const totalSurprisal = (row: FeatureRow, model: AnomalyModel): number =>
  combine(contributions(row, model));

/** Share of training releases with a total below `bits`, interpolated on the stored quantiles. */
export const percentileOf = (bits: number, model: AnomalyModel): number => {
  const points = model.scoreQuantiles;
  if (points.length === 0) return 0;
  if (bits < points[0]![1]) return 0;
  for (let index = points.length - 1; index >= 0; index--) {
    const [q, at] = points[index]!;
    if (bits < at) continue;
    const next = points[index + 1];
    if (next === undefined || next[1] === at) return next === undefined ? 1 : q;
    return q + ((next[0] - q) * (bits - at)) / (next[1] - at);
  }
  return 0;
};

const quantile = (sorted: readonly number[], q: number): number => {
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
};

const round = (value: number): number => Math.round(value * 1000) / 1000;

const significant = (value: number): number => Number(value.toPrecision(2));

/** A model read from JSON, checked enough that a damaged file fails loudly rather than scoring 0. */
export const asModel = (value: unknown): AnomalyModel => {
  const model = value as AnomalyModel;
  if (
    typeof value !== 'object' ||
    value === null ||
    model.version !== 1 ||
    typeof model.threshold !== 'number' ||
    typeof model.edges !== 'object' ||
    typeof model.global !== 'object' ||
    typeof model.groups !== 'object'
  )
    throw new Error('release anomaly model: not a version 1 model');
  return model;
};
