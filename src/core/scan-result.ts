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
  warnings: string[];
};
