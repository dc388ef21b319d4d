import type { Advisory, AdvisoryKind, AffectedPackage } from '../core/advisory.js';

/** Where a batch of advisories came from. */
export type ImportSource = {
  /** A stable name: `osv-npm`, `file:/abs/path`, … */
  name: string;
  /** What the user pointed at: a URL or a path. */
  location: string;
  /** HTTP validators of the download, kept for the next conditional request. */
  etag?: string;
  lastModified?: string;
};

export type ImportStats = {
  /** Records read from the input (all ecosystems). */
  read: number;
  added: number;
  updated: number;
  /** Same id and same or older `modified`: nothing written. */
  unchanged: number;
  /** Records with no npm package. */
  skipped: number;
};

export type SourceState = ImportSource & {
  importedAt: string;
  /** HTTP validators for conditional `db update` requests. */
  etag?: string;
  lastModified?: string;
  entries: number;
};

export type DbStatus = {
  location: string;
  schemaVersion: number;
  advisories: number;
  vulnerabilities: number;
  malware: number;
  withdrawn: number;
  /** Distinct npm package names with at least one advisory. */
  packages: number;
  /** Newest `modified` timestamp among the advisories. */
  newestModified?: string;
  lastImportAt?: string;
  sources: SourceState[];
};

/**
 * The intel store. SQLite is the embedded default; PostgreSQL implements the same contract.
 * Every write is transactional: an import that fails leaves the store as it was.
 */
export type AdvisoryStore = {
  /**
   * Adds or replaces advisories by id when the incoming `modified` is newer, and records the source,
   * all in one transaction. `read` counts the advisories received; `skipped` is left to the caller.
   */
  importAdvisories: (
    advisories: AsyncIterable<Advisory> | Iterable<Advisory>,
    source: ImportSource,
  ) => Promise<ImportStats>;
  /** Every advisory (withdrawn included) naming any of `names` in its npm `affected[]`, keyed by package name. */
  advisoriesFor: (names: Iterable<string>) => Promise<Map<string, Advisory[]>>;
  /**
   * What matching needs, without the prose: for each name, every advisory naming it with only its
   * `affected[]` blocks for that name. A scan reads these for every package and the whole record
   * (`getAdvisories`) only for the few that match. With `lowest` (name → lowest installed version),
   * candidates that cannot affect that version or any above it may be left out.
   */
  matchCandidates: (
    names: Iterable<string>,
    lowest?: ReadonlyMap<string, string>,
  ) => Promise<Map<string, MatchCandidate[]>>;
  /** Whole records by exact id; ids not in the store are left out. */
  getAdvisories: (ids: Iterable<string>) => Promise<Map<string, Advisory>>;
  /** By id, else by alias (a CVE or GHSA id another advisory lists); the lowest id wins. */
  getAdvisory: (id: string) => Promise<Advisory | undefined>;
  recordSource: (state: SourceState) => Promise<void>;
  getSource: (name: string) => Promise<SourceState | undefined>;
  status: () => Promise<DbStatus>;
  close: () => Promise<void>;
};

/** One advisory as matching sees it for one package name. */
export type MatchCandidate = {
  id: string;
  kind: AdvisoryKind;
  withdrawn?: string;
  integrity?: string[];
  /** The advisory's `affected[]` blocks for this package name. */
  affected: AffectedPackage[];
};
