import type { Severity } from './severity.js';

/** One OSV range event; exactly one key is set. */
export type OsvEvent = { introduced?: string; fixed?: string; last_affected?: string; limit?: string };

export type AffectedRange = { type: 'SEMVER' | 'ECOSYSTEM' | 'GIT'; events: OsvEvent[] };

/** One npm package block of an advisory's `affected[]`. */
export type AffectedPackage = {
  name: string;
  ranges: AffectedRange[];
  /** The explicit `versions` list. */
  versions: string[];
  /** GHSA's `database_specific.last_known_affected_version_range`, e.g. `<= 3.28.2`. */
  lastKnownAffectedRange?: string;
  /** GHSA's `ecosystem_specific.affected_functions`. */
  affectedFunctions?: string[];
};

export type AdvisoryKind = 'vulnerability' | 'malware';

export type SeveritySource = 'cvss-v4' | 'cvss-v3' | 'cvss-v2' | 'database' | 'malware' | 'none';

export type SeverityRating = {
  level: Severity;
  /** Base score where a CVSS vector gave one. */
  score?: number;
  vector?: string;
  source: SeveritySource;
};

/** An advisory as Bulwark keeps it: the npm part of an OSV record, normalised. */
export type Advisory = {
  id: string;
  aliases: string[];
  modified: string;
  published?: string;
  /** Set when withdrawn; withdrawn advisories never match. */
  withdrawn?: string;
  summary: string;
  details?: string;
  /** `malware` for OpenSSF `MAL-` entries (and GHSA malware advisories). */
  kind: AdvisoryKind;
  severity: SeverityRating;
  affected: AffectedPackage[];
  references: { type: string; url: string }[];
  cwes: string[];
  /** SRI hashes of known-bad tarballs (OpenSSF `package_integrity` indicators). */
  integrity?: string[];
};
