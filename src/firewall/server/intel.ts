import type { Advisory } from '../../core/advisory.js';
import type { Severity } from '../../core/severity.js';
import { isAffected } from '../../intel/range.js';
import { candidateAdvisory } from '../../scan/match.js';
import type { AdvisoryStore } from '../../store/store.js';
import { createLru } from './lru.js';

export type IntelMatches = {
  malware: { id: string; summary?: string }[];
  vulnerabilities: { id: string; severity: Severity; summary?: string }[];
};

/** What the intel database says about the versions of one package. */
export type PackageIntel = {
  /** Advisories whose ranges include the version, or whose known-bad tarball hash is `integrity`. */
  match: (version: string, integrity?: string) => IntelMatches;
};

export type Intel = {
  /** Throws when the database cannot be read (the caller records a failure). */
  forPackage: (name: string) => Promise<PackageIntel>;
};

const NO_MATCHES: PackageIntel = { match: () => ({ malware: [], vulnerabilities: [] }) };
const TTL_MS = 60_000;

/**
 * Matching against the local intel store: the match candidates of a name (ranges only) and the
 * whole records of those candidates (severity, summary), read once per name and kept a minute.
 */
export const createIntel = (store: AdvisoryStore | undefined, entries = 2000): Intel => {
  const cache = createLru<string, { at: number; intel: Promise<PackageIntel> }>(entries);
  const load = async (name: string): Promise<PackageIntel> => {
    if (store === undefined) return NO_MATCHES;
    const candidates = (await store.matchCandidates([name])).get(name) ?? [];
    if (candidates.length === 0) return NO_MATCHES;
    const records = await store.getAdvisories(candidates.map((c) => c.id));
    const advisories = candidates.map((candidate) => ({
      ranges: candidateAdvisory(candidate),
      record: records.get(candidate.id),
    }));
    return {
      match: (version, integrity) => {
        const out: IntelMatches = { malware: [], vulnerabilities: [] };
        for (const { ranges, record } of advisories) {
          if (!affects(ranges, name, version, integrity)) continue;
          const summary = record?.summary || undefined;
          if (ranges.kind === 'malware') out.malware.push({ id: ranges.id, ...(summary ? { summary } : {}) });
          else
            out.vulnerabilities.push({
              id: ranges.id,
              severity: record?.severity.level ?? 'unknown',
              ...(summary ? { summary } : {}),
            });
        }
        return out;
      },
    };
  };
  return {
    forPackage: (name) => {
      const hit = cache.get(name);
      if (hit && Date.now() - hit.at < TTL_MS) return hit.intel;
      const intel = load(name);
      cache.set(name, { at: Date.now(), intel });
      intel.catch(() => cache.delete(name));
      return intel;
    },
  };
};

const affects = (advisory: Advisory, name: string, version: string, integrity?: string): boolean =>
  isAffected(advisory, name, version) ||
  (advisory.withdrawn === undefined &&
    integrity !== undefined &&
    advisory.integrity?.some((known) => integrity.split(/\s+/).includes(known)) === true);
