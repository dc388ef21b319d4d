import type { Severity } from '../../core/severity.js';
import type { RULE_IDS } from './schema.js';

/** What the firewall does with a package version, weakest first. */
export type Action = 'allow' | 'warn' | 'hide' | 'deny';

export type RuleId = (typeof RULE_IDS)[number];

export type FailMode = 'open' | 'closed';

/** Publishing evidence, strongest last (pnpm's trustPolicy order). */
export type TrustLevel = 'none' | 'provenance' | 'trustedPublisher';

/** A per-package or per-scope waiver, as read from the policy file. */
export interface PolicyException {
  package?: string;
  scope?: string;
  /** A semver range; every version when absent. */
  versions?: string;
  /** Rules waived; every rule when absent. */
  rules?: RuleId[];
  reason: string;
  /** YYYY-MM-DD: the exception applies up to the day before. */
  expires: string;
  allowMalware?: true;
  /** Where it was written, for reports: `file:line`. */
  source?: string;
}

export interface FirewallPolicy {
  dryRun: boolean;
  failMode: FailMode;
  rules: {
    malware: Action;
    malicious: Action;
    suspicious: Action;
    minimumReleaseAge: { action: Action; minutes: number };
    installScripts: { action: Action; allow: string[] };
    vulnerabilities: { action: Action; severity: Severity };
    trustDowngrade: Action;
    exoticDependencies: Action;
    typosquat: Action;
    deprecated: Action;
    unpublished: Action;
    checkFailed: Action;
  };
  exceptions: PolicyException[];
  /** The file it came from; undefined for the built-in defaults. */
  file?: string;
}

/** A plain description of one package version, everything the policy looks at. */
export interface Subject {
  name: string;
  version: string;
  /** Publish time (the packument's `time[version]`); unknown when absent. */
  publishedAt?: Date | string;
  /** Lifecycle scripts run on install: preinstall, install, postinstall (names present). */
  installScripts?: string[];
  /** Every dependency specifier: dependencies, optionalDependencies, peerDependencies. */
  dependencies?: Record<string, string>;
  /** Intel matches. */
  malware?: { id: string; summary?: string }[];
  vulnerabilities?: { id: string; severity: Severity; summary?: string }[];
  /** Code-analysis verdict and the rules behind it. */
  analysis?: { verdict: 'clean' | 'suspicious' | 'malicious'; rules: string[] };
  /** Publishing evidence of this version against the best of every earlier one. */
  trust?: { current: TrustLevel; bestEarlier: TrustLevel; bestEarlierVersion?: string };
  /** The deprecation message, when deprecated. */
  deprecated?: string;
  unpublished?: boolean;
  /** The popular package this name imitates. */
  typosquatOf?: string;
  /** What could not be checked: "upstream timed out", "analysis failed: …". */
  failures?: string[];
}

/** One rule that matched the subject. */
export interface RuleMatch {
  rule: RuleId;
  action: Action;
  reason: string;
  /** The active exception that waives this match, if any. */
  waiver?: PolicyException;
}

export interface Decision {
  /** What the proxy does. In dry run, hide and deny are served as warn. */
  action: Action;
  /** The rule behind the action; undefined when nothing matched. */
  rule?: RuleId;
  reason: string;
  /** Whether an exception in the policy could waive this decision. */
  waivable: boolean;
  /** The exception that waived the strongest match, when the outcome was waived to allow. */
  waiver?: PolicyException;
  /** In dry run: the action that would have been enforced. */
  wouldBe?: Action;
  /** Every rule that matched, waived or not, strongest first. */
  matches: RuleMatch[];
  /** Exceptions that would have matched but have expired. */
  expired: PolicyException[];
}
