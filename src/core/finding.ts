import type { AdvisoryKind } from './advisory.js';
import type { Severity } from './severity.js';

export type FindingType = AdvisoryKind | 'behavior';

export type PackageCoordinates = { name: string; version: string };

/** How to get rid of a finding, for the project's own package manager. */
export type Remediation =
  | {
      kind: 'refresh';
      /** The fixed version a lockfile refresh resolves to, inside every parent's declared range. */
      to: string;
      command: string;
    }
  | {
      kind: 'upgrade';
      /** The direct dependency to upgrade, and to which version. */
      dependency: string;
      from: string;
      to: string;
      /** Whether the upgrade crosses a major version. */
      major: boolean;
      command: string;
    }
  | {
      kind: 'override';
      manager: 'npm' | 'yarn' | 'pnpm' | 'bun';
      /** Dotted path in package.json: `overrides`, `resolutions`, `pnpm.overrides`. */
      field: string;
      key: string;
      value: string;
      /** Why an override rather than a refresh or upgrade, when that is not obvious (e.g. registry unreachable). */
      note?: string;
    }
  | { kind: 'remove'; dependency?: string; advice: string }
  | { kind: 'none'; reason: string };

export type Suppression = {
  id: string;
  package?: string;
  range?: string;
  reason: string;
  expires?: string;
  /** File the suppression came from. */
  source: string;
};

export type Finding = {
  type: FindingType;
  /** The advisory's id (OSV id), or the rule id for behaviour findings. */
  id: string;
  /** Other ids of the same issue (CVE, GHSA, merged advisories). */
  aliases: string[];
  summary: string;
  severity: Severity;
  score?: number;
  vector?: string;
  package: PackageCoordinates;
  /** 1-based line of the package's entry in the lockfile, where the parser recorded one (SARIF region). */
  line?: number;
  /** Declared by a root (the project or a workspace member). */
  direct: boolean;
  /** Reachable only through devDependencies. */
  devOnly: boolean;
  /** Paths from a root, each a list of `name@version` labels. */
  paths: string[][];
  pathsTruncated: boolean;
  /** Lowest version that is not affected and is above the installed one, where known. */
  fixedIn?: string;
  remediation: Remediation;
  references: string[];
  /** Present when an accepted-risk entry covers the finding. */
  suppression?: Suppression;
  /** An expired suppression that used to cover this finding. */
  expiredSuppression?: Suppression;
};
