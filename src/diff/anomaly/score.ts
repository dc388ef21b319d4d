import type { DiffSide } from '../analyze-side.js';
import type { PackageDelta } from '../delta.js';
import type { GradedTransition } from '../metadata/grading.js';
import { type FeatureFamily, type FeatureSpec, type ReleaseFeatures, releaseFeatures } from './features.js';
import {
  type AnomalyModel,
  asModel,
  type Contribution,
  combine,
  contributions,
  percentileOf,
} from './model.js';
import shipped from './model.json' with { type: 'json' };

/** One feature that made a release unusual, most unusual first. */
export type AnomalyReason = {
  feature: string;
  value: number;
  /** How common such a value is among releases of similar packages. */
  typical: string;
  /** Surprisal of the value in bits: −log2 of the share of similar releases reaching it. */
  contribution: number;
  /** The reason in words, with what lies behind the value (capabilities, hosts, files). */
  description: string;
};

export type ReleaseAnomaly = {
  /** Share of normal training releases less surprising than this one (0–1). */
  score: number;
  /** Total surprisal in bits (the sum over features, correlated families counted once). */
  surprisal: number;
  unusual: boolean;
  /** Surprisal at or above which a release is unusual. */
  threshold: number;
  /** Peer group the release was compared with: `<kind>/<size>` of the older release. */
  peerGroup: string;
  reasons: AnomalyReason[];
  /** One line naming the features that made it (un)usual. */
  summary: string;
};

const MAX_REASONS = 5;
/** Between equally surprising features, the more specific evidence is named first. */
const FAMILY_ORDER: readonly FeatureFamily[] = [
  'threat',
  'endpoint',
  'manifest',
  'files',
  'capability',
  'dependencies',
  'volume',
  'release',
];
/** A feature adding less than this is not worth naming. */
const MIN_REASON_BITS = 1;

let cached: AnomalyModel | undefined;

/** The model shipped with Bulwark (src/diff/anomaly/model.json, fitted by evals/anomaly/train.mjs). */
export const shippedModel = (): AnomalyModel => {
  cached ??= asModel(shipped);
  return cached;
};

/** Scores one release's features against the model: explained, never a bare verdict. */
export const scoreReleaseAnomaly = (
  features: ReleaseFeatures,
  model: AnomalyModel = shippedModel(),
): ReleaseAnomaly => {
  const parts = contributions({ peer: features.peer.key, values: features.values }, model);
  const surprisal = round(combine(parts), 2);
  const unusual = surprisal >= model.threshold;
  const reasons = parts
    .filter((part) => part.bits >= MIN_REASON_BITS)
    .sort(
      (a, b) =>
        b.bits - a.bits ||
        FAMILY_ORDER.indexOf(a.feature.family) - FAMILY_ORDER.indexOf(b.feature.family) ||
        a.feature.name.localeCompare(b.feature.name),
    )
    .slice(0, MAX_REASONS)
    .map((part) => reason(part, features, model));
  const score = round(percentileOf(surprisal, model), 3);
  return {
    score,
    surprisal,
    unusual,
    threshold: model.threshold,
    peerGroup: features.peer.key,
    reasons,
    summary: summary(unusual, surprisal, score, model.threshold, reasons),
  };
};

/** Features and score of one release straight from what `bulwark diff` has. */
export const anomalyOfDiff = (
  from: DiffSide,
  to: DiffSide,
  delta: PackageDelta,
  metadata: readonly GradedTransition[] = [],
  packument?: unknown,
  model?: AnomalyModel,
): ReleaseAnomaly =>
  scoreReleaseAnomaly(
    releaseFeatures({ from, to, delta, metadata, ...(packument === undefined ? {} : { packument }) }),
    model,
  );

const reason = (part: Contribution, features: ReleaseFeatures, model: AnomalyModel): AnomalyReason => {
  const name = part.feature.name;
  const inGroup = model.groups[features.peer.key] !== undefined;
  const who = inGroup ? `similar releases (${features.peer.key})` : 'releases';
  return {
    feature: name,
    value: part.value,
    typical: `${percent(part.tail)} of ${who} ${reach(part.feature, part.edge)}`,
    contribution: round(part.bits, 2),
    description: describe(part.feature, part.value, features.details[name]),
  };
};

const reach = (feature: FeatureSpec, edge: number): string => {
  if (feature.unit === 'flag') return feature.name.startsWith('gains_') ? 'gain it' : 'have it';
  if (feature.unit === 'jump') return `step ${JUMP_WORDS[edge] ?? 'this far'} or more`;
  if (feature.unit === 'share') return `reach ${percent(edge)}`;
  if (feature.unit === 'rarity') return `are this rare for their package (${edge} bits)`;
  return `reach ${edge}`;
};

const JUMP_WORDS = ['a patch', 'a minor', 'a major', 'several majors'];

const describe = (feature: FeatureSpec, value: number, details: readonly string[] | undefined): string => {
  const listed = details === undefined || details.length === 0 ? '' : `: ${list(details)}`;
  switch (feature.unit) {
    case 'flag':
      return `${feature.label}${listed}`;
    case 'share':
      return `${percent(value)} ${feature.label}`;
    case 'log-ratio':
      return `${feature.label} ×${Math.exp(value).toFixed(value < 0.7 ? 2 : 1)}`;
    case 'rarity':
      return `${feature.label}${listed}`;
    case 'jump':
      return `${feature.label}: ${JUMP_WORDS[value] ?? value}`;
    case 'count':
      if (feature.name === 'threat_score_increase') return `threat score +${round(value, 1)}`;
      // A listed value names its items; the count shows when some are left out.
      return listed === '' ? `${round(value, 2)} ${feature.label}` : `${feature.label}${listed}`;
  }
};

const MAX_LISTED = 3;

const list = (items: readonly string[]): string => {
  const clipped = items
    .slice(0, MAX_LISTED)
    .map((item) => (item.length > 60 ? `${item.slice(0, 60)}…` : item));
  return items.length > MAX_LISTED ? `${clipped.join(', ')}, … (${items.length})` : clipped.join(', ');
};

const summary = (
  unusual: boolean,
  surprisal: number,
  score: number,
  threshold: number,
  reasons: readonly AnomalyReason[],
): string => {
  const rank = score >= 1 ? 'beyond every normal release' : `more than ${percent(score)} of normal releases`;
  const head = `${unusual ? 'unusual release' : 'ordinary release'}: ${surprisal.toFixed(1)} bits (threshold ${threshold.toFixed(1)}), ${rank}`;
  if (reasons.length === 0) return `${head}; nothing stands out`;
  const named = reasons.slice(0, 3).map((r) => r.description);
  return `${head}; ${unusual ? 'because' : 'most unusual'}: ${named.join('; ')}`;
};

const percent = (share: number): string => {
  const value = share * 100;
  if (value >= 99 && value < 100) return `${Math.min(99.9, Math.floor(value * 10) / 10)}%`;
  if (value === 0 || value >= 10) return `${Math.round(value)}%`;
  return `${Number(value.toPrecision(2))}%`;
};

const round = (value: number, digits: number): number => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};
