import type { Finding } from './finding.js';
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
  warnings: string[];
};
