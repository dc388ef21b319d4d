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

/** One detector-rule hit behind a behaviour finding (mirrors the analyser's `BehaviorFinding`). */
export type BehaviorEvidence = {
  rule: string;
  kind: 'capability' | 'threat';
  severity: Severity;
  confidence: 'high' | 'medium' | 'low';
  message: string;
  file?: string;
  line?: number;
  column?: number;
  excerpt?: string;
};

/** What reading the package's code found (`type: "behavior"` findings only). */
export type BehaviorDetails = {
  /** Absent when the package could not be judged (see `problem`). */
  verdict?: 'malicious' | 'suspicious' | 'clean';
  /** 0 (nothing) to 10 (certain malware). */
  score?: number;
  capabilities: string[];
  /** Why the verdict is missing: the analysis hit its time limit, the archive was unreadable, … */
  problem?: 'time-limit' | 'unreadable' | 'incomplete' | 'integrity-mismatch' | 'failed';
  /** Threats first, most severe first; at most 20. */
  evidence: BehaviorEvidence[];
  /** Analyser version that produced the verdict. */
  analyzer: string;
  /** The result came from the assessment cache. */
  cached: boolean;
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
  /** Behaviour findings: the verdict and the evidence behind it. */
  behavior?: BehaviorDetails;
};

/** A `malicious` behaviour verdict ranks with known malware: listed first, always failing. */
export const isMaliciousBehavior = (finding: Finding): boolean => finding.behavior?.verdict === 'malicious';
