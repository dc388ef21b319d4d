import type { BehaviorEvidence, Finding } from './finding.js';
import type { LockfileFormat, SourceKind } from './graph.js';
import type { Severity } from './severity.js';

/** Version of the JSON report shape (`bulwark scan --format json`). Bump on breaking changes. */
export const SCAN_REPORT_SCHEMA_VERSION = 1;

export type InventoryPackage = {
  name: string;
  version: string;
  /** Every install name when it differs from `name` (npm aliases). */
  aliases?: string[];
  resolved?: string;
  integrity?: string;
  source: SourceKind;
  direct: boolean;
  dev: boolean;
  optional: boolean;
  bundled: boolean;
  /** Workspace path when the package is a workspace member. */
  workspace?: string;
};

export type DatabaseSummary = {
  location: string;
  advisories: number;
  malware: number;
  lastImportAt?: string;
  /** Days since the last import or update; undefined when the database is empty. */
  ageDays?: number;
};

export type ScanSummary = {
  packages: number;
  findings: number;
  suppressed: number;
  bySeverity: Record<Severity, number>;
  malware: number;
  /** Findings at or above the fail-on threshold (what decides exit code 1). */
  failing: number;
};

/** Why an inventory package's code was not read. */
export type NotAnalysedReason =
  | 'local' // the root, a workspace member, a directory or link: the project's own code
  | 'git' // fetched from a git host, no registry tarball
  | 'bundled' // shipped inside its parent's tarball, analysed with the parent
  | 'declared-range' // a package.json without a lockfile: no installed version
  | 'no-tarball' // a tarball source without an http(s) URL
  | 'offline' // --offline and neither the result nor the tarball is cached
  | 'fetch-failed'; // the registry did not deliver the tarball

export type NotAnalysed = { name: string; version: string; reason: NotAnalysedReason; detail?: string };

/** The behavioural analysis of a scan (absent with `--no-analysis`). */
export type AnalysisSummary = {
  analyzer: string;
  /** Digest of the rule set (`id@version` of every rule); with `analyzer`, part of the cache key. */
  rules: string;
  timeLimitMs: number;
  /** Distinct tarballs planned (packages sharing bytes count once). */
  packages: number;
  /** Sent to a worker in this run (time limits and unreadable archives included). */
  analysed: number;
  /** Results reused from the assessment cache. */
  cached: number;
  /** Time limit, unreadable archive, integrity mismatch or analyser failure. */
  failed: number;
  verdicts: { clean: number; suspicious: number; malicious: number };
  /** Inventory packages whose code was not read, with the reason. */
  notAnalysed: NotAnalysed[];
  durationMs: number;
};

/** One newer release that turned: a worse code verdict than the installed one, or a takeover-shaped metadata change. */
export type TurnedRelease = {
  version: string;
  verdict: 'malicious' | 'suspicious';
  /** One line per reason, most serious first. */
  reasons: string[];
  /** Threat findings of this release that the installed one does not have, most severe first; at most 10. */
  findings: BehaviorEvidence[];
  /** Registry-metadata transitions from the installed release graded high or critical. */
  metadata: { kind: string; severity: Severity; message: string }[];
};

/** The newer releases of one inventory package, checked before the user upgrades to them. */
export type UpgradeCheck = {
  name: string;
  installed: string;
  /** The `latest` dist-tag, when the registry document names a listed version. */
  latest?: string;
  /** Newer releases the registry lists (before the depth bound). */
  newer: number;
  /** The releases checked, highest first. */
  checked: string[];
  turned: TurnedRelease[];
  /** Checked releases whose code could not be judged (fetch failed, time limit, …), with the reason. */
  notJudged?: { version: string; reason: string }[];
  /** The deprecation message of the `latest` release. */
  latestDeprecated?: string;
};

/** What the upgrade check did (absent with `--no-upgrade-check`, `--no-analysis` or `--offline`). */
export type UpgradeSummary = {
  /** Newer releases checked per package besides `latest`. */
  depth: number;
  /** Inventory packages (name@version) with newer releases. */
  packages: number;
  /** Distinct releases checked. */
  releases: number;
  /** Releases analysed in this run; the rest came from the assessment cache. */
  analysed: number;
  cached: number;
  /** Releases that turned, and the packages they belong to. */
  turned: number;
  packagesTurned: number;
  /** Packages whose registry document could not be read. */
  unavailable: number;
  durationMs: number;
};

export type ScanResult = {
  schemaVersion: typeof SCAN_REPORT_SCHEMA_VERSION;
  tool: { name: string; version: string };
  /** ISO timestamp. */
  generatedAt: string;
  target: {
    /** The project directory. */
    directory: string;
    /** The inventory file that was read. */
    file: string;
    format: LockfileFormat;
    /** The package manager whose remediation syntax applies. */
    manager: 'npm' | 'yarn' | 'pnpm' | 'bun' | 'unknown';
  };
  options: { omitDev: boolean; failOn: Severity | 'never' };
  database: DatabaseSummary;
  /** Every inventory node, unique by name@version, sorted by name then version. Local roots excluded. */
  packages: InventoryPackage[];
  /** Malware first, then by severity, then by package. Suppressed findings stay in, marked. */
  findings: Finding[];
  summary: ScanSummary;
  /** Behavioural analysis counts; absent when analysis was switched off. */
  analysis?: AnalysisSummary;
  /** Newer releases of the inventory that turned; absent when the upgrade check did not run. */
  upgrades?: { summary: UpgradeSummary; packages: UpgradeCheck[] };
  warnings: string[];
};
