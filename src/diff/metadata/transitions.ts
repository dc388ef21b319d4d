import semver, { type SemVer } from 'semver';
import { normaliseRepositoryUrl } from '../../analysis/manifest/repository-url.js';
import { exactVersion } from '../../core/exact-version.js';
import { isRecord, type JsonRecord } from '../../core/shape.js';

/**
 * How strongly a release proves where it was built, ranked as pnpm's `trustPolicy: no-downgrade`
 * ranks it: OIDC trusted publishing > a provenance attestation > nothing.
 */
export type TrustLevel = 'trusted-publisher' | 'provenance' | 'none';

/** One change in registry metadata between two releases, with the values that show it. */
export type MetadataTransition =
  | {
      kind: 'publisher-change';
      message: string;
      /** `_npmUser.name` of `to`, of `from`, and every publisher of the releases before `to`. */
      evidence: {
        publisher: string;
        previous?: string;
        knownPublishers: string[];
        trustedPublishing: boolean;
      };
    }
  | { kind: 'maintainers-changed'; message: string; evidence: { added: string[]; removed: string[] } }
  | {
      kind: 'trust-downgrade';
      message: string;
      /** `best` is the strongest level of the releases before `to`; `bestVersion` the latest release holding it. */
      evidence: { level: TrustLevel; best: TrustLevel; bestVersion: string };
    }
  | { kind: 'repository-changed'; message: string; evidence: { from?: string; to?: string } }
  | {
      kind: 'dormant-republish';
      message: string;
      evidence: { previous: string; previousTime: string; time: string; days: number };
    }
  | {
      kind: 'release-burst';
      message: string;
      /** The releases, `to` among them, published within one window of `windowMinutes`. */
      evidence: { versions: string[]; windowMinutes: number };
    }
  | {
      kind: 'version-jump';
      message: string;
      evidence: { version: string; previous?: string; majors: number };
    }
  | { kind: 'githead-missing'; message: string; evidence: { previous: string; previousGitHead: string } };

export type TransitionKind = MetadataTransition['kind'];

/** A year without a release, then one: the pattern of a hijacked abandoned package. */
const DORMANT_DAYS = 365;
const BURST_RELEASES = 3;
const BURST_MINUTES = 30;
const MAJOR_JUMP = 3;
const HIGH_MAJOR = 99;
const DAY_MS = 86_400_000;
/** Values from the document are echoed in messages and evidence; a hostile one is cut short. */
const MAX_TEXT = 200;
/** Names listed in evidence; a hostile maintainer list of thousands is summarised by its count. */
const MAX_NAMES = 50;
const TRUST_RANK: Record<TrustLevel, number> = { 'trusted-publisher': 2, provenance: 1, none: 0 };
const HOLDING_VERSION = /^0\.0\.\d+-security(?:\.\d+)?$/;

/**
 * Registry-metadata transitions from release `from` to release `to` of one package. The packument
 * is parsed but unvalidated: a field of the wrong type, a missing version or a hostile map yields
 * no signal, never an exception.
 *
 * "Earlier releases" are the valid semver versions below `to` (plus `from`), not the ones with
 * earlier `time`: mirrors rewrite publish times and backports are published after newer majors.
 * Only the time-based signals (dormant republish, release burst) read `time`.
 */
export const metadataTransitions = (packument: unknown, from: string, to: string): MetadataTransition[] => {
  const doc = isRecord(packument) ? packument : {};
  const versions = isRecord(doc.versions) ? doc.versions : {};
  const before = own(versions, from);
  const after = own(versions, to);
  if (!isRecord(after)) return [];
  const { earlier, previous } = history(Object.keys(versions), from, to);
  const out: MetadataTransition[] = [];
  const push = (transition: MetadataTransition | undefined): void => {
    if (transition) out.push(transition);
  };
  push(publisherChange(versions, earlier, before, after));
  push(maintainersChanged(before, after));
  push(trustDowngrade(versions, earlier, after));
  push(repositoryChanged(before, after));
  const times = releaseTimes(isRecord(doc.time) ? doc.time : {});
  const at = times.get(to);
  if (at !== undefined) {
    push(dormantRepublish(times, to, at));
    push(releaseBurst(times, at));
  }
  push(versionJump(to, previous));
  push(gitHeadMissing(versions, [from, previous], to, after));
  return out;
};

const own = (record: JsonRecord, key: string): unknown =>
  Object.hasOwn(record, key) ? record[key] : undefined;

const clip = (text: string): string => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text);

const stringAt = (record: unknown, key: string): string | undefined => {
  if (!isRecord(record)) return undefined;
  const value = own(record, key);
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** A release before `to`, with its parsed version when it is valid semver. */
type Earlier = { version: string; order: SemVer | undefined };

/**
 * The valid semver versions below `to` (holding placeholders excluded), plus `from` whatever its
 * order, and the highest of them below `to`. Each key is parsed once: a hostile packument may
 * list hundreds of thousands of versions.
 */
const history = (
  keys: readonly string[],
  from: string,
  to: string,
): { earlier: Earlier[]; previous: string | undefined } => {
  const target = exactVersion(to);
  const earlier: Earlier[] = [];
  let previous: Earlier | undefined;
  if (target !== undefined) {
    for (const key of keys) {
      const order = exactVersion(key);
      if (order === undefined || HOLDING_VERSION.test(key) || order.compare(target) >= 0) continue;
      const release = { version: key, order };
      earlier.push(release);
      if (previous === undefined || order.compare(previous.order!) > 0) previous = release;
    }
  }
  if (from !== to && !earlier.some((release) => release.version === from))
    earlier.push({ version: from, order: exactVersion(from) });
  return { earlier, previous: previous?.version };
};

const publisherOf = (manifest: unknown): string | undefined => {
  const user = isRecord(manifest) ? own(manifest, '_npmUser') : undefined;
  const name = stringAt(user, 'name');
  return name === undefined ? undefined : clip(name);
};

/**
 * The trust evidence of one release, as pnpm reads it (`trustChecks.ts`): `_npmUser.trustedPublisher`
 * means trusted publishing; otherwise `dist.attestations.provenance` means provenance.
 */
export const trustLevel = (manifest: unknown): TrustLevel => {
  if (!isRecord(manifest)) return 'none';
  const user = own(manifest, '_npmUser');
  if (isRecord(user) && isRecord(own(user, 'trustedPublisher'))) return 'trusted-publisher';
  const dist = own(manifest, 'dist');
  const attestations = isRecord(dist) ? own(dist, 'attestations') : undefined;
  if (isRecord(attestations) && isRecord(own(attestations, 'provenance'))) return 'provenance';
  return 'none';
};

const publisherChange = (
  versions: JsonRecord,
  earlier: readonly Earlier[],
  before: unknown,
  after: unknown,
): MetadataTransition | undefined => {
  const publisher = publisherOf(after);
  if (publisher === undefined) return undefined;
  const known = new Set<string>();
  for (const { version } of earlier) {
    const name = publisherOf(own(versions, version));
    if (name !== undefined) known.add(name);
  }
  // Mirrors strip `_npmUser`: with no earlier publisher known there is nothing to compare.
  if (known.size === 0 || known.has(publisher)) return undefined;
  const previous = publisherOf(before);
  const trustedPublishing = trustLevel(after) === 'trusted-publisher';
  return {
    kind: 'publisher-change',
    message: `published by ${publisher}, who published none of the ${earlier.length} earlier releases${previous ? ` (previous: ${previous})` : ''}`,
    evidence: {
      publisher,
      ...(previous === undefined ? {} : { previous }),
      knownPublishers: [...known].sort().slice(0, MAX_NAMES),
      trustedPublishing,
    },
  };
};

const maintainerNames = (manifest: unknown): Set<string> | undefined => {
  const list = isRecord(manifest) ? own(manifest, 'maintainers') : undefined;
  if (!Array.isArray(list)) return undefined;
  const names = new Set<string>();
  for (const entry of list) {
    // npm has stored both `{ name, email }` objects and `"name <email>"` strings.
    const name = typeof entry === 'string' ? entry.replace(/\s*[<(].*$/, '').trim() : stringAt(entry, 'name');
    if (name) names.add(clip(name));
  }
  return names;
};

const maintainersChanged = (before: unknown, after: unknown): MetadataTransition | undefined => {
  const old = maintainerNames(before);
  const current = maintainerNames(after);
  if (old === undefined || current === undefined || old.size === 0 || current.size === 0) return undefined;
  const added = [...current].filter((name) => !old.has(name)).sort();
  const removed = [...old].filter((name) => !current.has(name)).sort();
  if (added.length === 0 && removed.length === 0) return undefined;
  const parts = [
    added.length > 0 ? `added ${summarise(added)}` : '',
    removed.length > 0 ? `removed ${summarise(removed)}` : '',
  ].filter((part) => part !== '');
  return {
    kind: 'maintainers-changed',
    message: `maintainers changed: ${parts.join('; ')}`,
    evidence: { added: added.slice(0, MAX_NAMES), removed: removed.slice(0, MAX_NAMES) },
  };
};

const summarise = (names: readonly string[]): string =>
  names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');

const trustDowngrade = (
  versions: JsonRecord,
  earlier: readonly Earlier[],
  after: unknown,
): MetadataTransition | undefined => {
  const level = trustLevel(after);
  let best: TrustLevel = 'none';
  let holder: Earlier | undefined;
  for (const release of earlier) {
    const candidate = trustLevel(own(versions, release.version));
    const stronger = TRUST_RANK[candidate] > TRUST_RANK[best];
    const laterAtSame =
      candidate === best &&
      holder?.order !== undefined &&
      release.order !== undefined &&
      release.order.compare(holder.order) > 0;
    if (stronger || laterAtSame) {
      best = candidate;
      holder = release;
    }
  }
  if (holder === undefined || TRUST_RANK[level] >= TRUST_RANK[best]) return undefined;
  const bestVersion = holder.version;
  return {
    kind: 'trust-downgrade',
    message: `published with ${describeTrust(level)}, while ${clip(bestVersion)} had ${describeTrust(best)}`,
    evidence: { level, best, bestVersion: clip(bestVersion) },
  };
};

const describeTrust = (level: TrustLevel): string =>
  level === 'trusted-publisher'
    ? 'trusted publishing'
    : level === 'provenance'
      ? 'a provenance attestation'
      : 'no provenance';

const repositoryOf = (manifest: unknown): string | undefined => {
  if (!isRecord(manifest)) return undefined;
  const field = own(manifest, 'repository');
  const raw = typeof field === 'string' ? field : stringAt(field, 'url');
  return raw === undefined ? undefined : normaliseRepositoryUrl(raw);
};

const repositoryChanged = (before: unknown, after: unknown): MetadataTransition | undefined => {
  const old = repositoryOf(before);
  if (old === undefined) return undefined;
  const current = repositoryOf(after);
  // Owners and repositories are case-insensitive on the hosts npm links to.
  if (current !== undefined && current.toLowerCase() === old.toLowerCase()) return undefined;
  return {
    kind: 'repository-changed',
    message:
      current === undefined
        ? `repository removed (was ${clip(old)})`
        : `repository changed from ${clip(old)} to ${clip(current)}`,
    evidence: { from: clip(old), ...(current === undefined ? {} : { to: clip(current) }) },
  };
};

/** Publish times by version, `created`/`modified` and unreadable dates left out. */
const releaseTimes = (times: JsonRecord): Map<string, number> => {
  const out = new Map<string, number>();
  for (const [version, value] of Object.entries(times)) {
    if (version === 'created' || version === 'modified' || typeof value !== 'string') continue;
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) out.set(version, ms);
  }
  return out;
};

const dormantRepublish = (
  times: ReadonlyMap<string, number>,
  to: string,
  at: number,
): MetadataTransition | undefined => {
  let previous: string | undefined;
  let previousAt = Number.NEGATIVE_INFINITY;
  for (const [version, ms] of times) {
    if (version !== to && ms < at && ms > previousAt) {
      previous = version;
      previousAt = ms;
    }
  }
  if (previous === undefined) return undefined;
  const days = Math.floor((at - previousAt) / DAY_MS);
  if (days < DORMANT_DAYS) return undefined;
  return {
    kind: 'dormant-republish',
    message: `released ${days} days after the previous release (${clip(previous)})`,
    evidence: {
      previous: clip(previous),
      previousTime: new Date(previousAt).toISOString(),
      time: new Date(at).toISOString(),
      days,
    },
  };
};

/** At least three releases, `to` among them, inside one 30-minute window. */
const releaseBurst = (times: ReadonlyMap<string, number>, at: number): MetadataTransition | undefined => {
  const span = BURST_MINUTES * 60_000;
  const near = [...times]
    .filter(([, ms]) => Math.abs(ms - at) <= span)
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  // The fullest window [start, start + span] over starts at each release ≤ `to`: every release in
  // `near` is within `span` of `to`, so each such window reaches `to`.
  let best: [number, number] | undefined;
  let end = 0;
  for (let start = 0; start < near.length && near[start]![1] <= at; start++) {
    end = Math.max(end, start);
    while (end + 1 < near.length && near[end + 1]![1] - near[start]![1] <= span) end++;
    if (best === undefined || end - start > best[1] - best[0]) best = [start, end];
  }
  if (best === undefined || best[1] - best[0] + 1 < BURST_RELEASES) return undefined;
  const releases = near.slice(best[0], best[1] + 1).map(([version]) => clip(version));
  return {
    kind: 'release-burst',
    message: `${releases.length} releases within ${BURST_MINUTES} minutes: ${summarise(releases)}`,
    evidence: { versions: releases.slice(0, MAX_NAMES), windowMinutes: BURST_MINUTES },
  };
};

/**
 * `to` three or more majors above the release just below it in semver order, or the first
 * release of major 99 or above (the dependency-confusion signature).
 */
const versionJump = (to: string, previous: string | undefined): MetadataTransition | undefined => {
  if (semver.valid(to) !== to) return undefined;
  const major = semver.major(to);
  const previousMajor = previous === undefined ? undefined : semver.major(previous);
  const majors = major - (previousMajor ?? 0);
  const toHigh = major >= HIGH_MAJOR && (previousMajor === undefined || previousMajor < HIGH_MAJOR);
  if (!toHigh && (previous === undefined || majors < MAJOR_JUMP)) return undefined;
  return {
    kind: 'version-jump',
    message:
      previous === undefined
        ? `first release is ${to}`
        : `jumps ${majors} major versions, from ${previous} to ${to}`,
    evidence: { version: to, ...(previous === undefined ? {} : { previous }), majors },
  };
};

/**
 * `to` carries no `gitHead` while `from`, or the release just below `to`, recorded one: npm
 * records it when publishing from a clean git checkout, so its loss suggests a publish from
 * elsewhere.
 */
const gitHeadMissing = (
  versions: JsonRecord,
  candidates: readonly (string | undefined)[],
  to: string,
  after: JsonRecord,
): MetadataTransition | undefined => {
  if (stringAt(after, 'gitHead') !== undefined) return undefined;
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === to) continue;
    const gitHead = stringAt(own(versions, candidate), 'gitHead');
    if (gitHead !== undefined) {
      return {
        kind: 'githead-missing',
        message: `no gitHead, while ${clip(candidate)} was published from commit ${clip(gitHead)}`,
        evidence: { previous: clip(candidate), previousGitHead: clip(gitHead) },
      };
    }
  }
  return undefined;
};
